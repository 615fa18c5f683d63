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

	it('keeps Latin names, and reads a dotted (minority or transliterated) name given name first', () => {
		expect(render('Anna Li')).toBe('lianna');
		// Issue 16: 买买提·艾力 is given name 买买提, family name 艾力 (the part after the last dot).
		expect(render('买买提·艾力')).toBe('ailimaimaiti');
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

describe('names as they are (issue 16)', () => {
	it.each([
		// pinyin-pro's surname mode misses these; the table follows 《现代汉语词典》 (7th ed.).
		['种师道', 'chongshidao'],
		['重耳', 'chonger'],
		['秘书', 'bishu'],
		['么红', 'yaohong'],
		['祭仲', 'zhaizhong'],
		['佴小明', 'naixiaoming'],
		['洗星海', 'xianxinghai'],
		['颉刚', 'xiegang'],
		['隽不疑', 'juanbuyi'],
		// Traditional forms read with the common reading by pinyin-pro.
		['單雄信', 'shanxiongxin'],
		['區志明', 'ouzhiming'],
		['樂正', 'yuezheng'],
		['繆斯', 'miaosi'],
		['尉遲恭', 'yuchigong'],
		['歐陽修', 'ouyangxiu'],
		// Already right in pinyin-pro (kept as a regression list).
		['盖聂', 'genie'],
		['查良镛', 'zhaliangyong'],
		['覃雨', 'qinyu'],
		['翟志刚', 'zhaizhigang'],
		['能文', 'naiwen'],
		['啜小龙', 'chuaixiaolong'],
		['粘志强', 'nianzhiqiang'],
		['召公', 'shaogong'],
		['员半千', 'yunbanqian'],
	])('reads the surname of %s with its surname reading: %s', (name, expected) => {
		expect(render(name)).toBe(expected);
	});

	it.each([
		['买买提·艾力', '艾力', '买买提'],
		['买买提．艾力', '艾力', '买买提'],
		['买买提•艾力', '艾力', '买买提'],
		['买买提・艾力', '艾力', '买买提'],
		['买买提.艾力', '艾力', '买买提'],
		['阿卜杜勒·买买提·艾力', '艾力', '阿卜杜勒·买买提'],
		['爱新觉罗·溥仪', '爱新觉罗', '溥仪'],
	])('splits %s at the dot: family %s, given %s', (name, family, given) => {
		expect(readName(name)).toMatchObject({ surname: family, given });
	});

	it('lets a 姓 column decide the side of a dotted name', () => {
		expect(readName('阿沛·阿旺晋美', '阿沛')).toMatchObject({ surname: '阿沛', given: '阿旺晋美' });
		expect(readName('阿沛·阿旺晋美', '阿旺晋美')).toMatchObject({ surname: '阿旺晋美', given: '阿沛' });
	});

	it('never cuts a character outside the BMP in half', () => {
		const r = readName('𠮷野家');
		expect(r.surname).toBe('𠮷');
		expect(r.given).toBe('野家');
		for (const part of [r.surname, r.given]) expect(part).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/);
		expect(readName('张𠀀').given).toBe('𠀀');
	});

	it('keeps a Latin name as written and folds only the username to ASCII', () => {
		expect(readName('José Núñez')).toMatchObject({ surname: 'Núñez', given: 'José' });
		expect(render('José Núñez')).toBe('nunezjose');
		expect(render('Anna Müller')).toBe('mulleranna');
		expect(render('Øyvind Strøm')).toBe('stromoyvind');
		expect(render('Zoë ßeta')).toBe('ssetazoe');
		expect(readName('LI Anna')).toMatchObject({ surname: 'LI', given: 'Anna' });
		expect(readName('Anna Marie Li', 'Li')).toMatchObject({ surname: 'Li', given: 'Anna Marie' });
		expect(render("Seán O'Brien")).toBe("o'briensean");
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
