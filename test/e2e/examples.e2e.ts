/** The example workflows in n8n 2.41.1 on Node 24 (see exampleSuite.ts). */
import { exampleSuite } from './exampleSuite';

exampleSuite('2.41.1');
