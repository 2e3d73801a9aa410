/**
 * The example workflows in the newest n8n 1.x that installs here, 1.123.81, on the machine's Node 20
 * (or 22), as self-hosted users of the 1.x line run it (see exampleSuite.ts).
 */
import { exampleSuite } from './exampleSuite';

export const N8N_1X_VERSION = '1.123.81';

exampleSuite(N8N_1X_VERSION);
