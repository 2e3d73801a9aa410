/**
 * What a node run has learned about its provider's rate limit, from the 429s it met. Pure: every
 * call is given the time, so the rules can be checked without waiting.
 *
 * Segmind documents its limits per minute per plan (5, 50, custom) and a reset time on each 429,
 * but not which requests count: submits surely, status reads perhaps. So the limit is learned per
 * kind of request. A kind is limited only once a request of that kind has been refused; until
 * then it is sent as fast as the open-request pool allows. That keeps status reads free when the
 * provider does not count them, and still paces them when it does (their own first 429 says so).
 *
 * The model is a fixed window, which is what a reset time describes: after a 429 nothing starts
 * until the reset, and from then on each window of the learned length allows the limited kinds as
 * many requests as the provider accepted, of any kind, in the window that ended in the 429. Counting
 * every kind keeps a stray 429 on a status read, met before any read was accepted, from throttling
 * reads to one a window; where reads do not count, it errs towards sending, and the provider's next
 * 429 pauses the run to the reset, which a fixed window makes no slower. Stray 429s teach little:
 * a window that accepted nothing teaches nothing, one window lowers a learned allowance by half at
 * most, and a window whose allowance ran out with no 429 raises it by half.
 */
export type RequestKind = 'submit' | 'read';

const KINDS: readonly RequestKind[] = ['submit', 'read'];
/** A reset a moment away still counts as a window of at least this length. */
const MIN_WINDOW_MS = 1_000;
const GROWTH_AFTER_CLEAN_WINDOW = 1.5;
/** One window that ended early in a 429 lowers a learned allowance by half at most. */
const SHRINK_AT_MOST_TO = 0.5;

/** Which window a request started in: opaque to callers. */
export type WindowTicket = object;

interface Window {
	/** Undefined until the first request starts in it. */
	start: number | undefined;
	started: Record<RequestKind, number>;
	refused: Record<RequestKind, number>;
	refusedAny: boolean;
	allowanceUsedUp: boolean;
}

function newWindow(start: number | undefined): Window {
	return {
		start,
		started: { submit: 0, read: 0 },
		refused: { submit: 0, read: 0 },
		refusedAny: false,
		allowanceUsedUp: false,
	};
}

export class LearnedLimit {
	private readonly limitedKinds = new Set<RequestKind>();
	/** Requests of the limited kinds per window; undefined until the first 429. */
	private allowance: number | undefined;
	private windowMs = MIN_WINDOW_MS;
	private window = newWindow(undefined);
	private pausedUntil = 0;

	/** The earliest time (epoch ms, at least `now`) a request of `kind` may start. */
	startsAt(kind: RequestKind, now: number): number {
		this.roll(now);
		if (now < this.pausedUntil) return this.pausedUntil;
		if (this.allowance === undefined || !this.limitedKinds.has(kind)) return now;
		if (this.used() < this.allowance) return now;
		this.window.allowanceUsedUp = true;
		return Math.max(now, (this.window.start ?? now) + this.windowMs);
	}

	/**
	 * A request of `kind` starts now: it counts against the current window. The ticket names that
	 * window, for `refused`.
	 */
	started(kind: RequestKind, now: number): WindowTicket {
		this.roll(now);
		this.window.start ??= now;
		this.window.started[kind]++;
		return this.window;
	}

	/**
	 * The provider refused a request of `kind` for its rate limit, until `until` (epoch ms). A
	 * refusal that arrives after its window closed still pauses the run, but teaches nothing about
	 * the new window, in which the request did not start.
	 */
	refused(kind: RequestKind, until: number, ticket: WindowTicket): void {
		this.limitedKinds.add(kind);
		this.pausedUntil = Math.max(this.pausedUntil, until);
		if (ticket !== this.window) return;
		this.window.refused[kind]++;
		this.window.refusedAny = true;
	}

	/** The time nothing may start before (epoch ms); 0 when no 429 was met. */
	get pausedUntilTime(): number {
		return this.pausedUntil;
	}

	/** Requests of the limited kinds allowed per window, once learned: for tests and messages. */
	get learned(): { allowance: number; windowMs: number; kinds: RequestKind[] } | undefined {
		if (this.allowance === undefined) return undefined;
		const kinds = KINDS.filter((kind) => this.limitedKinds.has(kind));
		return { allowance: this.allowance, windowMs: this.windowMs, kinds };
	}

	private used(): number {
		let used = 0;
		for (const kind of this.limitedKinds) used += this.window.started[kind];
		return used;
	}

	/** Closes the current window once it is over, learning from how it ended. */
	private roll(now: number): void {
		const { window } = this;
		if (window.refusedAny) {
			if (now < this.pausedUntil) return;
			let accepted = 0;
			for (const kind of KINDS) accepted += window.started[kind] - window.refused[kind];
			// A window that accepted nothing says nothing about the limit: the run only paused.
			if (accepted > 0) {
				this.allowance =
					this.allowance === undefined
						? accepted
						: Math.max(accepted, Math.ceil(this.allowance * SHRINK_AT_MOST_TO));
				this.windowMs = Math.max(MIN_WINDOW_MS, this.pausedUntil - (window.start ?? now));
			}
			this.window = newWindow(this.pausedUntil);
			return;
		}
		if (this.allowance === undefined || window.start === undefined) return;
		const elapsed = now - window.start;
		if (elapsed < this.windowMs) return;
		if (window.allowanceUsedUp) {
			this.allowance = Math.ceil(this.allowance * GROWTH_AFTER_CLEAN_WINDOW);
		}
		this.window = newWindow(window.start + Math.floor(elapsed / this.windowMs) * this.windowMs);
	}
}
