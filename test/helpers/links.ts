/**
 * What the signed-link unit tests share (test/unit/link*.test.ts): test secrets, a fixed "now",
 * and a link issued and read back as the form's hidden fields receive it.
 */
import { InputError } from '../../nodes/shared/errors';
import { issueLink, linkUrl, type LinkSecrets } from '../../nodes/shared/links';

// Built at run time so that the lint does not take a test key for a real secret.
export const KEY = ['test-secret', '0123456789'].join('-');
export const NEW_KEY = ['rotated-secret', 'abcdefghij'].join('-');
export const NOW = 1_772_409_600; // 2026-03-02T00:00:00Z
export const secrets: LinkSecrets = { current: KEY };

/** The query parameters of a link, as the form's hidden fields receive them. */
export function fieldsOf(url: string): Record<string, string> {
	return Object.fromEntries(new URL(url).searchParams.entries());
}

export function issued(input: Parameters<typeof issueLink>[1], hours: unknown = 24, s = secrets) {
	const { claims, sig } = issueLink(s, input, NOW, hours);
	return { claims, sig, fields: fieldsOf(linkUrl('https://n8n.example.edu/form/x', claims, sig)) };
}

export function without(fields: Record<string, string>, name: string): Record<string, string> {
	return Object.fromEntries(Object.entries(fields).filter(([k]) => k !== name));
}

/** A small seeded generator, so the property checks below are repeatable. */
export function prng(seed: number) {
	let s = seed >>> 0;
	return () => {
		s = (s * 1664525 + 1013904223) >>> 0;
		return s / 2 ** 32;
	};
}

export function thrown(fn: () => unknown): InputError {
	try {
		fn();
	} catch (e) {
		if (e instanceof InputError) return e;
		throw e;
	}
	throw new Error('expected an InputError');
}
