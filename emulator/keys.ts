import type { AddKeyOptions } from './types';

/**
 * API keys registered at start and after every reset. The values look nothing like real keys on
 * purpose, so one pasted into a real credential fails loudly instead of spending anything.
 */
export const TEST_KEYS = Object.freeze({
	segmind: Object.freeze({
		/** 1000 credits, 1000 counted requests per window. */
		valid: 'emu-segmind-valid-7f3a9c2e41d8',
		/** No paid credits, 1.00 free credit, 5 requests per window (Segmind's free tier). */
		freeTier: 'emu-segmind-free-2b8d4e6f0a13',
		/** No credits at all: every model call is a 406. */
		noCredits: 'emu-segmind-broke-5c1e7a9b3d24',
		/** Registered but forbidden: 403 everywhere. */
		forbidden: 'emu-segmind-forbidden-9d2f6b8c0e35',
	}),
	pixazo: Object.freeze({
		/** 1000 credits, 1000 counted requests per window. */
		valid: 'emu-pixazo-valid-4a7c1e9d2f46',
		/** No credits: submits are a 402. */
		noCredits: 'emu-pixazo-broke-8e3b5d7f1a57',
	}),
});

export const DEFAULT_KEYS: readonly Required<AddKeyOptions>[] = [
	{
		id: 'segmind:valid',
		key: TEST_KEYS.segmind.valid,
		provider: 'segmind',
		credits: 1000,
		freeCredits: 0,
		rateLimitPerMinute: 1000,
		forbidden: false,
	},
	{
		id: 'segmind:freeTier',
		key: TEST_KEYS.segmind.freeTier,
		provider: 'segmind',
		credits: 0,
		freeCredits: 1,
		rateLimitPerMinute: 5,
		forbidden: false,
	},
	{
		id: 'segmind:noCredits',
		key: TEST_KEYS.segmind.noCredits,
		provider: 'segmind',
		credits: 0,
		freeCredits: 0,
		rateLimitPerMinute: 50,
		forbidden: false,
	},
	{
		id: 'segmind:forbidden',
		key: TEST_KEYS.segmind.forbidden,
		provider: 'segmind',
		credits: 100,
		freeCredits: 0,
		rateLimitPerMinute: 50,
		forbidden: true,
	},
	{
		id: 'pixazo:valid',
		key: TEST_KEYS.pixazo.valid,
		provider: 'pixazo',
		credits: 1000,
		freeCredits: 0,
		rateLimitPerMinute: 1000,
		forbidden: false,
	},
	{
		id: 'pixazo:noCredits',
		key: TEST_KEYS.pixazo.noCredits,
		provider: 'pixazo',
		credits: 0,
		freeCredits: 0,
		rateLimitPerMinute: 50,
		forbidden: false,
	},
];
