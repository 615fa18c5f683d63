/**
 * The small rules Plan Accounts applies: entry years, org unit paths, the domain, and whether a
 * name has a character without pinyin. Pure TypeScript: no n8n import.
 */
import { pinyin } from 'pinyin-pro';
import { InputError } from '../shared/errors';
import { excerpt } from './people';
import { asciiSyllable, type NameReading } from './usernames';


/** "2023", "2023级", "2023-09" -> "2023"; else from the id or class, else ''. */
export function entryYear(yearText: string, id: string, className: string): string {
	const fromYear = /(19|20)\d{2}/.exec(yearText);
	if (fromYear) return fromYear[0];
	const fromClass = /((?:19|20)\d{2})\s*级/.exec(className);
	if (fromClass) return fromClass[1];
	const fromId = /^(19|20)\d{2}/.exec(id.trim());
	if (fromId) return fromId[0];
	return '';
}

/** The org unit of a class: "/学生" + "一(2)班" -> "/学生/一(2)班". */
export function classOrgUnit(root: string, className: string): string {
	const base = normaliseOu(root);
	const leaf = className.replace(/\//g, '-').trim();
	return leaf ? `${base === '/' ? '' : base}/${leaf}` : base;
}

export function normaliseOu(path: string): string {
	const p = `/${path.trim().replace(/^\/+|\/+$/g, '')}`;
	return p === '/' ? '/' : p.replace(/\/{2,}/g, '/');
}

export function normaliseDomain(domain: string): string {
	const d = domain.trim().toLowerCase().replace(/^@/, '');
	if (!/^[a-z0-9-]+(\.[a-z0-9-]+)+$/.test(d)) {
		throw new InputError(`"${excerpt(domain)}" is not a domain`, { field: 'domain', hint: 'For example school.edu.cn' });
	}
	return d;
}

/** The first character of the name that has no pinyin, when a syllable came out non-ASCII. */
export function unreadable(reading: NameReading, name: string): string | undefined {
	if (![...reading.surnameSyllables, ...reading.givenSyllables].some((s) => /[^a-z0-9' -]/.test(s))) return undefined;
	return Array.from(name).find((ch) => !/^[a-z0-9' ·.-]*$/i.test(ch) && !/^[a-z]+$/.test(asciiSyllable(pinyin(ch, { toneType: 'none', v: false })))) ?? name;
}
