/**
 * China's public holidays and make-up workdays as the bundled `chinese-days` data gives them,
 * and which years that data covers. The years are read from the data, not written here, so a
 * newer release of chinese-days (with the next year's State Council schedule) is picked up by
 * updating the dependency alone.
 *
 * The data is the package's documented JSON file (`chinese-days/dist/chinese-days.json`, built
 * from the same source as its functions): `holidays` and `workdays` map a date to
 * "English name,中文名,days".
 * Pure TypeScript: no n8n import.
 */
import nationalJson from 'chinese-days/dist/chinese-days.json';

/** Where the built-in national data comes from, for messages and docs. */
export const BUILT_IN_SOURCE = 'chinese-days';

export interface NationalData {
	holidays: Record<string, string>;
	workdays: Record<string, string>;
}

export interface NationalDay {
	/** False on a public holiday, true on a make-up workday. */
	work: boolean;
	/** English name of the holiday the day belongs to, e.g. "National Day". */
	name: string;
}

export interface YearSpan {
	first: number;
	last: number;
}

/** The bundled data (read only). */
export function builtInNationalData(): NationalData {
	const data = nationalJson as Partial<NationalData>;
	return { holidays: data.holidays ?? {}, workdays: data.workdays ?? {} };
}

/**
 * The years a data set covers: from its first year with a public holiday to the last year of the
 * unbroken run after it (a year without any holiday ends the run). Null when it has none.
 */
export function dataSpan(data: NationalData): YearSpan | null {
	const years = new Set<number>();
	for (const iso of Object.keys(data.holidays)) {
		const y = Number(iso.slice(0, 4));
		if (Number.isInteger(y)) years.add(y);
	}
	if (years.size === 0) return null;
	const first = Math.min(...years);
	let last = first;
	while (years.has(last + 1)) last++;
	return { first, last };
}

/** The data's entry for a date (YYYY-MM-DD), or undefined when it lists none. */
export function nationalDay(data: NationalData, iso: string): NationalDay | undefined {
	const holiday = data.holidays[iso];
	if (holiday !== undefined) return { work: false, name: holiday.split(',')[0] };
	const workday = data.workdays[iso];
	if (workday !== undefined) return { work: true, name: workday.split(',')[0] };
	return undefined;
}
