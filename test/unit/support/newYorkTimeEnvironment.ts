/**
 * A jest environment that runs a test file with the process time zone set to America/New_York.
 *
 * Setting `process.env.TZ` inside a test file does not work under jest: the sandbox's `process.env`
 * is a copy, so Node never sees the change and dates keep parsing in the machine's zone (often UTC,
 * which hides local-time bugs). This environment sets TZ on the real process for the file's run and
 * restores it afterwards, so other test files in the same worker are not affected.
 * Use it with the docblock `@jest-environment ./test/unit/support/newYorkTimeEnvironment.ts`.
 */
import { TestEnvironment } from 'jest-environment-node';

export const TEST_TIME_ZONE = 'America/New_York';

export default class NewYorkTimeEnvironment extends TestEnvironment {
	private previousTimeZone: string | undefined;

	override async setup(): Promise<void> {
		this.previousTimeZone = process.env.TZ;
		process.env.TZ = TEST_TIME_ZONE;
		await super.setup();
	}

	override async teardown(): Promise<void> {
		if (this.previousTimeZone === undefined) delete process.env.TZ;
		else process.env.TZ = this.previousTimeZone;
		await super.teardown();
	}
}
