/**
 * Body temperatures as people really type them: "36.5", "36.5℃", "３６.５", "36,5", "36。5",
 * "36.5度", "97.7°F". A value without a unit is read as °C when it lies in the human range in
 * °C (34 to 43) and as °F when it lies in the human range in °F (93 to 110).
 * Anything else is unreadable, and an unreadable reading is an alert of its own.
 * Pure TypeScript: no n8n import.
 */
import { excerpt } from '../shared/errors';

export const CELSIUS_RANGE: [number, number] = [34, 43];
export const FAHRENHEIT_RANGE: [number, number] = [93, 110];
/** Axillary fever threshold used in Chinese school checks. */
export const DEFAULT_FEVER_THRESHOLD = 37.3;

export type TemperatureReading =
	| { ok: true; celsius: number; unit: 'C' | 'F'; value: number; raw: string }
	| { ok: false; raw: string; reason: string };

const C_UNIT = /(°c|℃|摄氏度|摄氏|度|c|celsius)$/;
const F_UNIT = /(°f|℉|华氏度|华氏|f|fahrenheit)$/;
const NUMBER = /^(\d{2,3})(?:[.,。·](\d{1,2}))?$/;

function round1(n: number): number {
	return Math.round(n * 10) / 10;
}

/** Reads one typed temperature. Never throws: an unreadable value comes back with its reason. */
export function parseTemperature(value: unknown): TemperatureReading {
	if (typeof value === 'number') {
		return fromNumber(value, undefined, String(value));
	}
	const raw = value === undefined || value === null ? '' : String(value);
	// NFKC turns full-width digits and punctuation (３６．５, ，) into ASCII and ℃ into °C.
	let text = raw.normalize('NFKC').toLowerCase().replace(/\s+/g, '');
	if (!text) return { ok: false, raw, reason: 'No temperature was entered' };
	let unit: 'C' | 'F' | undefined;
	const f = F_UNIT.exec(text);
	const c = C_UNIT.exec(text);
	if (f) {
		unit = 'F';
		text = text.slice(0, f.index);
	} else if (c) {
		unit = 'C';
		text = text.slice(0, c.index);
	}
	text = text.replace(/[°˚]$/, '');
	const m = NUMBER.exec(text);
	if (!m) return { ok: false, raw, reason: `"${excerpt(raw)}" is not a temperature` };
	const n = Number(`${m[1]}.${m[2] ?? '0'}`);
	return fromNumber(n, unit, raw);
}

function fromNumber(n: number, unit: 'C' | 'F' | undefined, raw: string): TemperatureReading {
	if (!Number.isFinite(n)) return { ok: false, raw, reason: `"${excerpt(raw)}" is not a temperature` };
	const inC = n >= CELSIUS_RANGE[0] && n <= CELSIUS_RANGE[1];
	const inF = n >= FAHRENHEIT_RANGE[0] && n <= FAHRENHEIT_RANGE[1];
	if ((unit === 'C' || unit === undefined) && inC) return { ok: true, celsius: round1(n), unit: 'C', value: n, raw };
	if ((unit === 'F' || unit === undefined) && inF) {
		return { ok: true, celsius: round1(((n - 32) * 5) / 9), unit: 'F', value: n, raw };
	}
	const range =
		unit === 'F'
			? `${FAHRENHEIT_RANGE[0]} to ${FAHRENHEIT_RANGE[1]} °F`
			: unit === 'C'
				? `${CELSIUS_RANGE[0]} to ${CELSIUS_RANGE[1]} °C`
				: `${CELSIUS_RANGE[0]} to ${CELSIUS_RANGE[1]} °C or ${FAHRENHEIT_RANGE[0]} to ${FAHRENHEIT_RANGE[1]} °F`;
	return { ok: false, raw, reason: `"${excerpt(raw)}" is outside the human range (${range})` };
}

/** True when a reading (rounded to 0.1 °C) is at or above the threshold. */
export function isFever(reading: TemperatureReading, threshold = DEFAULT_FEVER_THRESHOLD): boolean {
	return reading.ok && reading.celsius >= threshold;
}

/** Words that mean "no symptoms". */
const NONE = new Set(['无', '没有', '无症状', '正常', '否', '良好', '健康', 'none', 'no', 'n/a', 'na', 'nil', '-', '/', '']);

/**
 * Which of the listed symptoms a typed answer names. "无", "正常" and "none" name none; a part
 * starting with 无/没有/不/no (e.g. "无咳嗽") is a denial and names none either.
 */
export function matchSymptoms(value: unknown, listed: string[]): string[] {
	if (value === undefined || value === null) return [];
	const parts = (Array.isArray(value) ? value.map(String) : String(value).normalize('NFKC').split(/[,;，；、/\n|]+/))
		.map((s) => s.trim().toLowerCase())
		.filter((s) => !NONE.has(s));
	const found: string[] = [];
	for (const part of parts) {
		if (/^(无|没有|不|未|no\s|not\s)/.test(part)) continue;
		for (const s of listed) {
			const key = s.trim().toLowerCase();
			if (key && part.includes(key) && !found.includes(s.trim())) found.push(s.trim());
		}
	}
	return found;
}
