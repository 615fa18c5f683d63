import { InputError } from '../../nodes/shared/errors';
import { ALPHABET, initialPassword, sha1Hex } from '../../nodes/TeachingAccounts/passwords';
import {
	checkPattern,
	cleanUsername,
	isValidUsername,
	readName,
	renderPattern,
	suffixes,
	withSuffix,
} from '../../nodes/TeachingAccounts/usernames';

const render = (name: string, pattern = '{surname}{given}', id = '20230101', year = '2023') =>
	renderPattern(pattern, { reading: readName(name), id, year, className: '一(2)班' });

describe('usernames from Chinese names', () => {
	it.each([
		['单雄信', 'shanxiongxin'],
		['仇英', 'qiuying'],
		['尉迟恭', 'yuchigong'],
		['曾国藩', 'zengguofan'],
		['解缙', 'xiejin'],
		['欧阳修', 'ouyangxiu'],
		['长孙无忌', 'zhangsunwuji'],
		['万俟卨', 'moqixie'],
		['单于丹', 'chanyudan'],
		['朴智妍', 'piaozhiyan'],
	])('reads the surname of %s as a surname: %s', (name, expected) => {
		expect(render(name)).toBe(expected);
	});

	it('splits compound surnames from the given name', () => {
		expect(readName('尉迟恭')).toMatchObject({ surname: '尉迟', given: '恭' });
		expect(readName('欧阳修')).toMatchObject({ surname: '欧阳', given: '修' });
		expect(readName('欧阳')).toMatchObject({ surname: '欧', given: '阳' });
		expect(readName('张三', '张')).toMatchObject({ surname: '张', given: '三' });
	});

	it('writes ü as yu, one rule everywhere', () => {
		expect(render('吕小明')).toBe('lyuxiaoming');
		expect(render('女娲')).toBe('nyuwa');
		expect(render('张居正')).toBe('zhangjuzheng');
	});

	it('keeps Latin names and drops the middle dot of minority names', () => {
		expect(render('Anna Li')).toBe('lianna');
		expect(render('买买提·艾力')).toBe('maimaitiaili');
	});

	it('follows the pattern placeholders', () => {
		expect(render('张伟', '{surname}{given}{year}')).toBe('zhangwei2023');
		expect(render('张伟', '{s}{g}{id}')).toBe('zw20230101');
		expect(render('张伟', '{ID}')).toBe('20230101');
		expect(render('张伟', '{surname}.{given}')).toBe('zhang.wei');
		expect(render('张伟', '{given}_{class}')).toBe('wei_yi2ban');
	});

	it('rejects patterns with unknown or no placeholders, naming the field', () => {
		expect(() => checkPattern('{nickname}', 'studentPattern')).toThrow(/Unknown placeholder \{nickname\}/);
		try {
			checkPattern('student', 'studentPattern');
			throw new Error('no error');
		} catch (e) {
			expect(e).toBeInstanceOf(InputError);
			expect((e as InputError).field).toBe('studentPattern');
		}
	});

	it('keeps only what Google allows, lowercase, at most 64 characters', () => {
		expect(cleanUsername('..Zhang  Wei..')).toBe('zhangwei');
		expect(cleanUsername("o'neil-li_1.2")).toBe("o'neil-li_1.2");
		expect(cleanUsername('a..b')).toBe('a.b');
		const long = render('张'.repeat(40));
		expect(long.length).toBeLessThanOrEqual(64);
		expect(isValidUsername(long)).toBe(true);
		expect(isValidUsername('Zhang')).toBe(false);
		expect(isValidUsername('zh ang')).toBe(false);
		expect(isValidUsername('a'.repeat(65))).toBe(false);
	});

	it('suffixes come from the id, then numbers, and stay within 64', () => {
		expect([...take(suffixes('2023-0117'), 4)]).toEqual(['17', '117', '0117', '30117']);
		expect([...take(suffixes(''), 2)]).toEqual(['2', '3']);
		expect(withSuffix('a'.repeat(64), '17')).toBe(`${'a'.repeat(62)}17`);
	});
});

function* take<T>(gen: Generator<T>, n: number): Generator<T> {
	for (let i = 0; i < n; i++) yield gen.next().value as T;
}

describe('initial passwords', () => {
	it('are the same for the same secret and id, and differ otherwise', () => {
		const a = initialPassword('secret', '20230101');
		expect(initialPassword('secret', '20230101')).toBe(a);
		expect(initialPassword('secret', '20230102')).not.toBe(a);
		expect(initialPassword('other', '20230101')).not.toBe(a);
	});

	it('use only the unambiguous alphabet, with a lower, an upper and a digit', () => {
		for (let i = 0; i < 200; i++) {
			const p = initialPassword('s', `id${i}`, 12);
			expect(p).toHaveLength(12);
			for (const ch of p) expect(ALPHABET).toContain(ch);
			expect(p).toMatch(/[a-z]/);
			expect(p).toMatch(/[A-Z]/);
			expect(p).toMatch(/[2-9]/);
			expect(p).not.toMatch(/[01oOlIi]/);
		}
	});

	it('need a secret and a sane length', () => {
		expect(() => initialPassword('', 'x')).toThrow(/No password secret/);
		expect(() => initialPassword('s', 'x', 4)).toThrow(/out of range/);
	});

	it('are sent as the SHA-1 hex digest', () => {
		expect(sha1Hex('abc')).toBe('a9993e364706816aba3e25717850c26c9cd0d89d');
	});
});
