/*
 * The rate limit a run learns from its 429s, checked with explicit times: a fixed provider window
 * of 50 submits, status reads that count or not, a spurious 429, and a 429 that arrives late.
 */
import { LearnedLimit } from '../../nodes/shared/transport/learnedLimit';
import type { RequestKind } from '../../nodes/shared/transport/learnedLimit';

/** Starts `count` requests of `kind` at `now`, as the budget does once `startsAt` allows it. */
function startMany(limit: LearnedLimit, kind: RequestKind, count: number, now: number) {
	const tickets = [];
	for (let index = 0; index < count; index++) {
		expect(limit.startsAt(kind, now)).toBe(now);
		tickets.push(limit.started(kind, now));
	}
	return tickets;
}

describe('before any 429', () => {
	test('every request starts at once, and nothing is learned', () => {
		const limit = new LearnedLimit();
		startMany(limit, 'submit', 500, 0);
		startMany(limit, 'read', 500, 10);
		expect(limit.learned).toBeUndefined();
		expect(limit.pausedUntilTime).toBe(0);
	});
});

describe('a fixed window of 50 submits a minute, status reads not counted', () => {
	const RESET = 60_000;

	function afterFirstWindow() {
		const limit = new LearnedLimit();
		startMany(limit, 'submit', 50, 0);
		const refused = limit.started('submit', 4_000);
		limit.refused('submit', RESET, refused);
		return limit;
	}

	test('the 429 pauses submits and reads alike until the reset', () => {
		const limit = afterFirstWindow();
		expect(limit.startsAt('submit', 5_000)).toBe(RESET);
		expect(limit.startsAt('read', 5_000)).toBe(RESET);
	});

	test('after the reset, the 50 accepted submits go at once; the 51st waits for the next window', () => {
		const limit = afterFirstWindow();
		startMany(limit, 'submit', 50, RESET);
		expect(limit.learned).toEqual({ allowance: 50, windowMs: RESET, kinds: ['submit'] });
		expect(limit.startsAt('submit', RESET + 1)).toBe(2 * RESET);
	});

	test('status reads stay unpaced, since none of them was refused', () => {
		const limit = afterFirstWindow();
		startMany(limit, 'submit', 50, RESET);
		startMany(limit, 'read', 1_000, RESET + 10);
	});
});

describe('a stray 429 on a status read, met before any read was accepted', () => {
	test('reads are then allowed as many requests a window as the window accepted of any kind', () => {
		const limit = new LearnedLimit();
		startMany(limit, 'submit', 50, 0);
		limit.refused('read', 1_500, limit.started('read', 500));
		expect(limit.startsAt('read', 600)).toBe(1_500);
		startMany(limit, 'read', 50, 1_500);
		expect(limit.learned).toEqual({ allowance: 50, windowMs: 1_500, kinds: ['read'] });
		expect(limit.startsAt('read', 1_600)).toBe(3_000);
		startMany(limit, 'submit', 100, 1_600);
	});
});

describe('status reads that count as well', () => {
	test('their own 429 adds them to the limit, sharing the allowance with submits', () => {
		const limit = new LearnedLimit();
		startMany(limit, 'submit', 40, 0);
		startMany(limit, 'read', 10, 1_000);
		limit.refused('submit', 60_000, limit.started('submit', 2_000));
		// The first window taught only submits: 40 of them.
		startMany(limit, 'submit', 40, 60_000);
		startMany(limit, 'read', 10, 61_000);
		limit.refused('read', 120_000, limit.started('read', 62_000));
		expect(limit.startsAt('submit', 62_000)).toBe(120_000);

		startMany(limit, 'read', 30, 120_000);
		startMany(limit, 'submit', 20, 120_000);
		expect(limit.learned).toEqual({ allowance: 50, windowMs: 60_000, kinds: ['submit', 'read'] });
		expect(limit.startsAt('read', 121_000)).toBe(180_000);
		expect(limit.startsAt('submit', 121_000)).toBe(180_000);
	});
});

describe('recovery', () => {
	test('a window whose allowance ran out without a 429 raises the allowance by half', () => {
		const limit = new LearnedLimit();
		startMany(limit, 'submit', 10, 0);
		limit.refused('submit', 2_000, limit.started('submit', 100));
		startMany(limit, 'submit', 10, 2_000);
		expect(limit.startsAt('submit', 2_100)).toBe(4_000);
		startMany(limit, 'submit', 15, 4_000);
		expect(limit.learned?.allowance).toBe(15);
		expect(limit.startsAt('submit', 4_100)).toBe(6_000);
		startMany(limit, 'submit', 23, 6_000);
		expect(limit.learned?.allowance).toBe(23);
	});

	test('a window that did not use its allowance leaves it as it was', () => {
		const limit = new LearnedLimit();
		startMany(limit, 'submit', 10, 0);
		limit.refused('submit', 2_000, limit.started('submit', 100));
		startMany(limit, 'submit', 3, 2_000);
		startMany(limit, 'submit', 3, 4_500);
		expect(limit.learned?.allowance).toBe(10);
	});

	test('a 429 whose reset is a moment away still learns a window of at least one second', () => {
		const limit = new LearnedLimit();
		startMany(limit, 'read', 5, 0);
		limit.refused('read', 200, limit.started('read', 100));
		startMany(limit, 'read', 5, 200);
		expect(limit.learned).toEqual({ allowance: 5, windowMs: 1_000, kinds: ['read'] });
	});
});

describe('several refusals of one window', () => {
	test('each open request that was refused is taken off what the window accepted', () => {
		const limit = new LearnedLimit();
		const tickets = startMany(limit, 'submit', 58, 0);
		for (const ticket of tickets.slice(50)) limit.refused('submit', 60_000, ticket);
		startMany(limit, 'submit', 50, 60_000);
		expect(limit.learned?.allowance).toBe(50);
	});

	test('a refusal that arrives after its window closed pauses the run but teaches nothing', () => {
		const limit = new LearnedLimit();
		startMany(limit, 'submit', 50, 0);
		const late = limit.started('submit', 500);
		limit.refused('submit', 60_000, limit.started('submit', 500));
		startMany(limit, 'submit', 10, 60_000);
		limit.refused('submit', 61_000, late);
		expect(limit.startsAt('submit', 60_500)).toBe(61_000);
		startMany(limit, 'submit', 40, 61_000);
		expect(limit.learned?.allowance).toBe(51);
	});
});

describe('stray 429s teach little', () => {
	test('a window that accepted nothing only pauses the run', () => {
		const limit = new LearnedLimit();
		limit.refused('read', 1_000, limit.started('read', 0));
		expect(limit.startsAt('submit', 10)).toBe(1_000);
		startMany(limit, 'read', 200, 1_000);
		expect(limit.learned).toBeUndefined();
	});

	test('one window lowers a learned allowance by half at most', () => {
		const limit = new LearnedLimit();
		startMany(limit, 'submit', 40, 0);
		limit.refused('submit', 60_000, limit.started('submit', 10));
		startMany(limit, 'submit', 1, 60_000);
		limit.refused('submit', 61_000, limit.started('submit', 60_000));
		startMany(limit, 'submit', 20, 61_000);
		expect(limit.learned?.allowance).toBe(20);
		expect(limit.startsAt('submit', 61_001)).toBe(62_000);
	});
});
