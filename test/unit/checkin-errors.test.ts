import { EXCERPT_LENGTH, excerpt, hasLoneSurrogate } from '../../nodes/shared/errors';

describe('excerpt', () => {
	it('keeps a short value whole and cuts a long one, saying how long it was', () => {
		expect(excerpt('2026-03-02 25:00')).toBe('2026-03-02 25:00');
		const long = 'a'.repeat(1_000_000);
		const e = excerpt(long);
		expect(e).toBe(`${'a'.repeat(EXCERPT_LENGTH)}… (1000000 characters)`);
	});

	it('never cuts a character in half and shows a lone surrogate and line breaks harmlessly', () => {
		const astral = '𠀀'.repeat(50); // each is two UTF-16 units
		const e = excerpt(astral, 5);
		expect(e.startsWith('𠀀𠀀𠀀𠀀𠀀…')).toBe(true);
		expect(hasLoneSurrogate(e)).toBe(false);
		expect(excerpt('T1\uD800x')).toBe('T1\uFFFDx');
		expect(excerpt('a\nb\u0000c')).toBe('a b c');
	});

	it('shows non-text values briefly', () => {
		expect(excerpt(undefined)).toBe('undefined');
		expect(excerpt(12.5)).toBe('12.5');
		expect(excerpt({ a: 'x'.repeat(100) }, 10)).toBe('{"a":"xxxx… (108 characters)');
	});
});

describe('hasLoneSurrogate', () => {
	it('finds half of a UTF-16 pair, and only that', () => {
		expect(hasLoneSurrogate('T\uD800')).toBe(true);
		expect(hasLoneSurrogate('\uDC00T')).toBe(true);
		expect(hasLoneSurrogate('𠀀张三')).toBe(false);
		expect(hasLoneSurrogate('')).toBe(false);
	});
});
