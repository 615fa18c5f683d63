/**
 * Message text: the default templates, filling their placeholders, slot names in the language of
 * the template, and scrubbing. Every value put into a message (names, groups, slots, ids, lists)
 * is scrubbed of phone, ID and other private numbers; the template's own text is kept as typed.
 * Pure TypeScript: no n8n import.
 */
import { scrubPrivate } from '../shared/privacy';
import type { Slot } from '../shared/slots';

export const DEFAULT_MISSING_MESSAGE = '{name}：{date} {slot}（{due} 截止）尚未填报，请尽快补报。已连续未报 {misses} 次。';
export const DEFAULT_UNKNOWN_MESSAGE = '收到名单外编号 {id} 的 {count} 条填报，请核对名单或填报链接。';
export const DEFAULT_OUTSIDE_MESSAGE = '{name} 于 {time} 的填报不在任何时段内，未计入，请核对。';
export const DEFAULT_ALERT_MESSAGE = '{name}（{group}）{date} {slot} 健康填报异常：{reason}，请跟进。';
export const DEFAULT_SUMMARY_MESSAGE =
	'{group} {date} 填报情况：应报 {expected}，已报 {submitted}（其中迟报 {late}），未报 {missing}，异常 {abnormal}。{zero}{missingList}';
export const DEFAULT_ZERO_REPORT = '今日无异常情况。';

/**
 * Fills "{name}" style placeholders; unknown placeholders are left as typed. An empty value takes
 * the space before it along, so that "{date} {slot} 异常" with no slot reads "{date} 异常".
 */
export function fillTemplate(template: string, vars: Record<string, string | number>): string {
	return template.replace(/( ?)\{(\w+)\}/g, (all, space: string, key: string) => {
		if (!Object.prototype.hasOwnProperty.call(vars, key)) return all;
		const value = String(vars[key]);
		return value === '' ? '' : `${space}${value}`;
	});
}

const CJK = /[\u3000-\u303f\u3400-\u9fff\uf900-\ufaff\uff01-\uff60]/;

/** True when a text is written in Chinese (holds a Chinese character or Chinese punctuation). */
export function isChinese(text: string): boolean {
	return CJK.test(text);
}

/** Chinese words for the slot names schools type in English ("Morning", "Morning disinfection"). */
const ZH_SLOT_WORDS: Record<string, string> = {
	morning: '上午',
	forenoon: '上午',
	am: '上午',
	noon: '中午',
	midday: '中午',
	lunch: '午间',
	afternoon: '下午',
	pm: '下午',
	evening: '晚上',
	night: '夜间',
	return: '返校',
	due: '',
	check: '检查',
	health: '健康',
	temperature: '体温',
	disinfection: '消毒',
	cleaning: '保洁',
	patrol: '巡查',
	inspection: '检查',
	count: '盘点',
	supply: '物资',
	gate: '校门',
};

/** The part of the day a slot opens in, in Chinese. */
function partOfDay(opensMin: number): string {
	const h = Math.floor((((opensMin % 1440) + 1440) % 1440) / 60);
	if (h >= 5 && h < 11) return '上午';
	if (h >= 11 && h < 13) return '中午';
	if (h >= 13 && h < 18) return '下午';
	if (h >= 18 && h < 23) return '晚上';
	return '夜间';
}

/**
 * A slot's name for Chinese text: its own name when the user wrote it in Chinese, else its English
 * words in Chinese when each is a known one (Morning: 上午, Morning disinfection: 上午消毒), else
 * the part of the day it opens in.
 */
export function chineseSlotName(name: string, opensMin?: number): string {
	const trimmed = name.trim();
	if (isChinese(trimmed)) return trimmed;
	const words = trimmed.toLowerCase().split(/[\s_-]+/).filter(Boolean);
	if (words.length && words.every((w) => Object.prototype.hasOwnProperty.call(ZH_SLOT_WORDS, w))) {
		return words.map((w) => ZH_SLOT_WORDS[w]).join('');
	}
	return opensMin === undefined ? '' : partOfDay(opensMin);
}

/** Chinese names of all slots, told apart (上午第1次, 上午第2次) when two would read alike. */
export function chineseSlotNames(slots: Slot[]): Map<string, string> {
	const names = slots.map((s) => chineseSlotName(s.name, s.opensMin));
	const out = new Map<string, string>();
	slots.forEach((s, i) => {
		const same = names.filter((n) => n === names[i]);
		const nth = names.slice(0, i + 1).filter((n) => n === names[i]).length;
		out.set(s.name, same.length > 1 && names[i] ? `${names[i]}第${nth}次` : names[i]);
	});
	return out;
}

/** Words for reasons in messages: no temperature values, ids or phone numbers. */
const REASON_TEXT_ZH: Record<string, string> = {
	fever: '体温偏高',
	'unreadable temperature': '体温无法识别',
	symptom: '有症状',
	'missed in a row': '连续未报',
};

/** One template's text: slot names and reasons in its language, every value scrubbed. */
export class MessageText {
	readonly chinese: boolean;
	private readonly zhSlots: Map<string, string>;
	private readonly scrubbed = new Map<string, string>();

	constructor(
		readonly template: string,
		slots: Slot[] = [],
	) {
		this.chinese = isChinese(template);
		this.zhSlots = this.chinese ? chineseSlotNames(slots) : new Map();
	}

	/** The slot as the message names it (the item's `slot` field keeps the slot's own name). */
	slot(name: string): string {
		if (!this.chinese || !name) return name;
		return this.zhSlots.get(name) ?? chineseSlotName(name);
	}

	reasons(reasons: string[]): string {
		return reasons.map((r) => (this.chinese ? (REASON_TEXT_ZH[r] ?? r) : r)).join(this.chinese ? '、' : ', ');
	}

	/** A list of names: 张三、李四 or "Amy, Ben". */
	list(names: string[]): string {
		return names.join(this.chinese ? '、' : ', ');
	}

	/** Fills the template with the values, each scrubbed of private numbers. */
	compose(vars: Record<string, string | number>): string {
		const clean: Record<string, string | number> = {};
		for (const [k, v] of Object.entries(vars)) clean[k] = typeof v === 'string' ? this.scrub(v) : v;
		return fillTemplate(this.template, clean);
	}

	private scrub(value: string): string {
		if (!/\d/.test(value)) return value;
		let out = this.scrubbed.get(value);
		if (out === undefined) {
			out = scrubPrivate(value);
			this.scrubbed.set(value, out);
		}
		return out;
	}
}
