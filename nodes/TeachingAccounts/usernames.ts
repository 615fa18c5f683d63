/**
 * Usernames from Chinese names: pinyin with surname readings, a configurable pattern, Google's
 * character rules, and a deterministic suffix when two people would get the same name.
 * Pure TypeScript: no n8n import.
 *
 * Rules (documented in docs/nodes/teaching-accounts.md):
 * - the surname is read as a surname (单 = shan, 仇 = qiu, 种 = chong, 尉迟 = yuchi), by
 *   pinyin-pro's surname mode, corrected by SURNAME_READINGS where it is wrong, and a table of
 *   compound surnames;
 * - a name with a middle dot (买买提·艾力, also written with ・ ． • ‧ ∙ ･ or .) is a
 *   transliterated name, given name first: the family name is the part after the last dot,
 *   except after a Manchu clan name (爱新觉罗·溥仪), which comes first; a 姓 column wins;
 * - characters outside the Basic Multilingual Plane (𠮷) are never cut in half;
 * - a Latin name keeps its capitals and accents as written (familyName, givenName); only the
 *   username is folded to ASCII (Núñez = nunez, Müller = muller, Strøm = strom);
 * - ü in pinyin is written "yu" (吕 = lyu, 女 = nyu), as on Chinese passports; ju/qu/xu/yu keep "u";
 * - only a-z 0-9 . - _ ' remain, lowercase, at most 64 characters, no leading or trailing
 *   punctuation and no two dots in a row.
 */
import { pinyin } from 'pinyin-pro';
import { InputError } from '../shared/errors';

export const MAX_USERNAME = 64;

/**
 * Compound (two-character) surnames, with the reading where a surname reading differs from
 * what pinyin-pro's surname mode gives (单于 = chanyu, 长孙 = zhangsun).
 */
const COMPOUND_SURNAMES: Record<string, string | null> = {
	欧阳: null, 太史: null, 端木: null, 上官: null, 司马: null, 东方: null, 独孤: null, 南宫: null,
	万俟: 'moqi', 闻人: null, 夏侯: null, 诸葛: null, 尉迟: 'yuchi', 公羊: null, 赫连: null,
	澹台: 'tantai', 皇甫: null, 宗政: null, 濮阳: null, 公冶: null, 太叔: null, 申屠: null,
	公孙: null, 慕容: null, 仲孙: null, 钟离: null, 长孙: 'zhangsun', 宇文: null, 司徒: null,
	鲜于: null, 司空: null, 闾丘: null, 子车: null, 亓官: 'qiguan', 司寇: null, 巫马: null,
	公西: null, 颛孙: null, 壤驷: null, 公良: null, 漆雕: null, 乐正: 'yuezheng', 宰父: null,
	谷梁: null, 拓跋: null, 夹谷: 'jiagu', 轩辕: null, 令狐: 'linghu', 段干: null, 百里: null,
	呼延: null, 东郭: null, 南门: null, 羊舌: null, 微生: null, 公户: null, 公玉: null,
	公仪: null, 梁丘: null, 公仲: null, 公上: null, 公门: null, 公山: null, 公坚: null,
	左丘: null, 公伯: null, 西门: null, 公祖: null, 第五: null, 公乘: null, 贯丘: null,
	公皙: null, 南荣: null, 东里: null, 东宫: null, 仲长: 'zhongchang', 子书: null, 子桑: null,
	即墨: null, 达奚: null, 褚师: 'chushi', 吴铭: null, 单于: 'chanyu', 淳于: null,
	// Traditional forms of the common ones (Hong Kong, Macau, Taiwan rosters).
	歐陽: 'ouyang', 司馬: 'sima', 諸葛: 'zhuge', 尉遲: 'yuchi', 長孫: 'zhangsun', 單于: 'chanyu', 萬俟: 'moqi',
	東方: 'dongfang', 公孫: 'gongsun', 澹臺: 'tantai', 鍾離: 'zhongli', 軒轅: 'xuanyuan', 獨孤: 'dugu',
	南宮: 'nangong', 西門: 'ximen', 聞人: 'wenren',
};

/**
 * Single-character surnames whose surname reading pinyin-pro 3.29 (surname mode) gets wrong,
 * checked one by one against 《现代汉语词典》 (7th edition, Commercial Press, 2016), which marks
 * each surname reading "姓". pinyin-pro's own surname list already reads 单 shan, 仇 qiu,
 * 解 xie, 曾 zeng, 区 ou, 查 zha, 朴 piao, 盖 ge, 员 yun, 缪 miao, 繁 po, 乐 yue, 覃 qin,
 * 翟 zhai, 句 gou, 召 shao, 折 she, 能 nai, 啜 chuai, 粘 nian, 牟 mou, 都 du, 薄 bo, 柏 bai,
 * 尉 wei, 万俟 moqi and 长孙 zhangsun right (tested in test/unit/accounts.usernames.test.ts);
 * this table adds the ones it misses and the traditional forms it reads with the common reading.
 */
export const SURNAME_READINGS: Record<string, string> = {
	种: 'chong', 重: 'chong', 秘: 'bi', 么: 'yao', 祭: 'zhai', 佴: 'nai', 洗: 'xian', 颉: 'xie', 隽: 'juan',
	// Traditional forms.
	單: 'shan', 區: 'ou', 種: 'chong', 樂: 'yue', 繆: 'miao', 員: 'yun', 蓋: 'ge', 祕: 'bi',
};

/** The middle dots of transliterated names: · (U+00B7) and the look-alikes typed for it. */
export const NAME_DOTS = /[\u00b7\u30fb\uff0e\u2022\u2027\u2219\uff65.]/;
const NAME_DOTS_ALL = /[\u00b7\u30fb\uff0e\u2022\u2027\u2219\uff65.]+/;

/**
 * Manchu clan names written before the dot (family name first): 爱新觉罗·溥仪. Other dotted
 * names are read given name first, family name last (买买提·艾力, 阿沛·阿旺晋美).
 */
export const CLAN_FIRST = new Set(['爱新觉罗', '愛新覺羅', '叶赫那拉', '葉赫那拉', '钮祜禄', '鈕祜祿', '瓜尔佳', '瓜爾佳', '富察', '那拉', '赫舍里', '佟佳', '西林觉罗', '伊尔根觉罗', '舒穆禄', '完颜', '完顏']);

const HAN = /\p{Script=Han}/u;

export interface NameReading {
	/** The surname as written (张, 尉迟, or the Latin family name). */
	surname: string;
	/** The given name as written. */
	given: string;
	/** Pinyin syllables of the surname, ASCII, lowercase (ü already mapped). */
	surnameSyllables: string[];
	/** Pinyin syllables (or Latin words) of the given name, ASCII, lowercase. */
	givenSyllables: string[];
}

/** ü -> yu, accents off, lowercase (for pinyin syllables). */
export function asciiSyllable(s: string): string {
	return s
		.toLowerCase()
		.replace(/ü|v(?=$)/g, 'yu')
		.normalize('NFD')
		.replace(/[\u0300-\u036f]/g, '');
}

/** Letters that NFD does not take apart, with their usual ASCII spelling. */
const LATIN_FOLD: Record<string, string> = { ß: 'ss', æ: 'ae', œ: 'oe', ø: 'o', ł: 'l', đ: 'd', ð: 'd', þ: 'th', ı: 'i', ħ: 'h' };

/** A Latin word as ASCII, lowercase: accents off (ü = u here: this is not pinyin). */
export function asciiLatin(s: string): string {
	return s
		.toLowerCase()
		.normalize('NFD')
		.replace(/[\u0300-\u036f]/g, '')
		.replace(/[ßæœøłđðþıħ]/g, (c) => LATIN_FOLD[c] ?? c);
}

function syllables(text: string, surnameMode: boolean): string[] {
	const out = pinyin(text, {
		toneType: 'none',
		type: 'array',
		mode: surnameMode ? 'surname' : 'normal',
		v: false,
	}) as string[];
	return out.map(asciiSyllable).filter((s) => s && s !== '·');
}

/**
 * Splits a name into surname and given name and reads both. `surnameHint` (a 姓 column) wins;
 * a dotted name is split at the dot (see the rules above); otherwise a compound surname is
 * recognised, else the first character is the surname. A Latin name ("Anna Li") is read as
 * given names then family name, or family name first when only it is in capitals ("LI Anna").
 */
export function readName(fullName: string, surnameHint?: string, cache?: Map<string, string[]>): NameReading {
	const name = fullName.replace(/\s+/g, ' ').trim();
	if (!name) throw new InputError('The name is empty');
	if (!HAN.test(name)) return readLatin(name, surnameHint?.trim());
	const compact = name.replace(/\s/g, '');
	const hint = surnameHint?.trim().replace(/\s/g, '') ?? '';
	if (NAME_DOTS.test(compact)) {
		const parts = compact.split(NAME_DOTS_ALL).filter(Boolean);
		if (parts.length > 1) {
			let familyFirst = CLAN_FIRST.has(parts[0]);
			if (hint === parts[0]) familyFirst = true;
			else if (hint === parts[parts.length - 1]) familyFirst = false;
			const surname = familyFirst ? parts[0] : parts[parts.length - 1];
			const given = (familyFirst ? parts.slice(1) : parts.slice(0, -1)).join('·');
			return { surname, given, surnameSyllables: syllables(surname, false), givenSyllables: syllables(given, false) };
		}
	}
	const chars = Array.from(compact);
	let surname = hint;
	if (!surname || !compact.startsWith(surname) || surname === compact) {
		const two = chars.slice(0, 2).join('');
		surname = two in COMPOUND_SURNAMES && chars.length > 2 ? two : chars[0];
	}
	const given = compact.slice(surname.length).replace(NAME_DOTS_ALL, '');
	const surnameSyllables = cache ? memo(cache, surname, () => readSurname(surname)) : readSurname(surname);
	return { surname, given, surnameSyllables, givenSyllables: given ? syllables(given, false) : [] };
}

/** A surname's syllables: the tables first, then pinyin-pro's surname mode. */
export function readSurname(surname: string): string[] {
	const compound = COMPOUND_SURNAMES[surname];
	if (compound) return [compound];
	const single = SURNAME_READINGS[surname];
	if (single) return [single];
	return syllables(surname, true);
}

function readLatin(name: string, hint?: string): NameReading {
	const words = name.split(/[\s·.]+/).filter((w) => /[\p{L}\p{N}]/u.test(w));
	if (!words.length) throw new InputError('The name has no letters');
	const fold = (ws: string[]) => ws.map(asciiLatin).filter(Boolean);
	let familyIndex = words.length - 1;
	const hintIndex = hint ? words.findIndex((w) => w.toLowerCase() === hint.toLowerCase()) : -1;
	if (hintIndex >= 0) familyIndex = hintIndex;
	else {
		const caps = words.map((w) => w.length > 1 && w === w.toUpperCase() && w !== w.toLowerCase());
		if (caps.filter(Boolean).length === 1 && words.length > 1) familyIndex = caps.indexOf(true);
	}
	if (words.length === 1) return { surname: words[0], given: '', surnameSyllables: fold(words), givenSyllables: [] };
	const family = words[familyIndex];
	const given = words.filter((_, i) => i !== familyIndex);
	return { surname: family, given: given.join(' '), surnameSyllables: fold([family]), givenSyllables: fold(given) };
}

function memo(cache: Map<string, string[]>, key: string, fn: () => string[]): string[] {
	let v = cache.get(key);
	if (!v) {
		v = fn();
		cache.set(key, v);
	}
	return v;
}

/** Keeps what Google accepts in a username: a-z 0-9 . - _ ' (lowercase). */
export function cleanUsername(raw: string): string {
	return asciiLatin(asciiSyllable(raw))
		.replace(/[^a-z0-9._'-]/g, '')
		.replace(/\.{2,}/g, '.')
		.replace(/^[._'-]+/, '')
		.replace(/[._'-]+$/, '');
}

const VALID = /^[a-z0-9](?:[a-z0-9._'-]*[a-z0-9])?$/;

export function isValidUsername(u: string): boolean {
	return u.length > 0 && u.length <= MAX_USERNAME && VALID.test(u) && !u.includes('..');
}

export const PATTERN_TOKENS = ['surname', 'given', 's', 'g', 'id', 'year', 'class'] as const;
export type PatternToken = (typeof PATTERN_TOKENS)[number];

/** Checks a pattern such as "{surname}{given}{year}" and returns the tokens it uses. */
export function checkPattern(pattern: string, field: string): PatternToken[] {
	const used: PatternToken[] = [];
	const re = /\{([^{}]*)\}/g;
	let m: RegExpExecArray | null;
	while ((m = re.exec(pattern))) {
		const t = m[1].trim().toLowerCase() as PatternToken;
		if (!PATTERN_TOKENS.includes(t)) {
			throw new InputError(`Unknown placeholder {${m[1]}} in the username pattern`, {
				field,
				hint: `Use ${PATTERN_TOKENS.map((x) => `{${x}}`).join(', ')}`,
			});
		}
		used.push(t);
	}
	if (used.length === 0) {
		throw new InputError('The username pattern has no placeholder, so everyone would get the same name', {
			field,
			hint: 'For example {surname}{given}{year} or {id}',
		});
	}
	return used;
}

export interface PatternValues {
	reading: NameReading;
	id: string;
	year?: string;
	className?: string;
}

/** Renders a pattern; the result is cleaned but not yet checked for clashes. */
export function renderPattern(pattern: string, v: PatternValues): string {
	// Each placeholder is computed only when the pattern uses it.
	const value = (t: string): string => {
		switch (t) {
			case 'surname':
				return v.reading.surnameSyllables.join('');
			case 'given':
				return v.reading.givenSyllables.join('');
			case 's':
				return v.reading.surnameSyllables.map((x) => x.charAt(0)).join('');
			case 'g':
				return v.reading.givenSyllables.map((x) => x.charAt(0)).join('');
			case 'id':
				return cleanUsername(v.id);
			case 'year':
				return v.year ?? '';
			case 'class':
				return v.className ? readClassSlug(v.className) : '';
			default:
				return '';
		}
	};
	const text = pattern.replace(/\{\s*([a-zA-Z]+)\s*\}/g, (_, t: string) => value(t.toLowerCase()));
	return cleanUsername(text).slice(0, MAX_USERNAME).replace(/[._'-]+$/, '');
}

/** "一(2)班" -> "yi2ban": a class name as ASCII (used in patterns and course aliases). */
export function readClassSlug(className: string): string {
	const parts = pinyin(className, { toneType: 'none', type: 'array', v: false }) as string[];
	return parts
		.map(asciiSyllable)
		.join('')
		.replace(/[^a-z0-9]+/g, '');
}

/**
 * The deterministic suffixes tried, in order, for a person whose base name clashes: the last
 * 2, 3, ... characters of their id, then 2, 3, 4, ...
 */
export function* suffixes(id: string): Generator<string> {
	const clean = id.toLowerCase().replace(/[^a-z0-9]/g, '');
	for (let k = Math.min(2, clean.length); k > 0 && k <= clean.length; k++) yield clean.slice(-k);
	for (let n = 2; ; n++) yield String(n);
}

/** base + suffix, cutting the base so that the whole stays within 64 characters. */
export function withSuffix(base: string, suffix: string): string {
	const room = MAX_USERNAME - suffix.length;
	return `${base.slice(0, room).replace(/[._'-]+$/, '')}${suffix}`;
}
