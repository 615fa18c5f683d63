/**
 * Usernames from Chinese names: pinyin with surname readings, a configurable pattern, Google's
 * character rules, and a deterministic suffix when two people would get the same name.
 * Pure TypeScript: no n8n import.
 *
 * Rules (documented in docs/nodes/teaching-accounts.md):
 * - the surname is read as a surname (单 = shan, 仇 = qiu, 尉迟 = yuchi), by pinyin-pro's
 *   surname mode and a table of compound surnames;
 * - ü is written "yu" (吕 = lyu, 女 = nyu), as on Chinese passports; ju/qu/xu/yu keep "u";
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
};

const HAN = /[\u3400-\u9fff\uf900-\ufaff]/;

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

/** ü -> yu, accents off, lowercase. */
export function asciiSyllable(s: string): string {
	return s
		.toLowerCase()
		.replace(/ü|v(?=$)/g, 'yu')
		.normalize('NFD')
		.replace(/[\u0300-\u036f]/g, '');
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
 * otherwise a compound surname is recognised, else the first character is the surname. A Latin
 * name ("Anna Li") is read as given names then family name.
 */
export function readName(fullName: string, surnameHint?: string, cache?: Map<string, string[]>): NameReading {
	const name = fullName.replace(/\s+/g, ' ').trim();
	if (!name) throw new InputError('The name is empty');
	if (!HAN.test(name)) {
		const words = name
			.split(/[\s·.]+/)
			.map((w) => asciiSyllable(w))
			.filter(Boolean);
		const hint = surnameHint?.trim();
		if (hint && words.length > 1) {
			const h = asciiSyllable(hint);
			const rest = words.filter((w) => w !== h);
			return { surname: hint, given: rest.join(' '), surnameSyllables: [h], givenSyllables: rest };
		}
		const family = words.length > 1 ? words[words.length - 1] : words[0];
		const given = words.length > 1 ? words.slice(0, -1) : [];
		return { surname: family, given: given.join(' '), surnameSyllables: [family], givenSyllables: given };
	}
	const compact = name.replace(/\s/g, '');
	let surname = surnameHint?.trim() ?? '';
	if (!surname || !compact.startsWith(surname)) {
		const two = compact.slice(0, 2);
		surname = two in COMPOUND_SURNAMES && compact.length > 2 ? two : compact.slice(0, 1);
	}
	const given = compact.slice(surname.length).replace(/^·/, '');
	const reading = COMPOUND_SURNAMES[surname];
	const surnameSyllables = reading ? [reading] : cache ? memo(cache, surname, () => syllables(surname, true)) : syllables(surname, true);
	return { surname, given, surnameSyllables, givenSyllables: given ? syllables(given, false) : [] };
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
	return asciiSyllable(raw)
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
