/**
 * Device Survey Summary: from a home-device survey's rows, per class, how many students have a
 * computer, a phone or a tablet at home, and who has none (to follow up). With the roster, who
 * has not answered too. Pure TypeScript: no n8n import.
 */
import { InputError, type RowProblem } from '../shared/errors';
import { findColumn, type Row } from '../shared/rows';
import { columnsFor, eachRow, excerpt, firstRow } from './people';

export const SURVEY_COLUMNS = {
	name: '姓名, 学生姓名, name',
	id: '学号, id, personId',
	className: '班级, class',
	devices: '家中设备, 设备, devices, device',
	computer: '电脑, 家中是否有电脑, 有无电脑, computer',
	phone: '手机, 家中是否有手机, 有无手机, phone, smartphone',
	tablet: '平板, 家中是否有平板, 有无平板, tablet',
} as const;
export type SurveyKey = keyof typeof SURVEY_COLUMNS;

const YES = /^(有|是|yes|y|true|1|√|✓|✔|有的|可以)$/i;
const NO = /^(无|没有|否|no|n|false|0|×|✗|没|不)$/i;
const COMPUTER = /电脑|计算机|笔记本|台式|computer|laptop|desktop|\bpc\b|mac/i;
const PHONE = /手机|phone|mobile/i;
const TABLET = /平板|pad|tablet/i;
const NONE = /^(无|没有|都没有|none|no|否|-)$/i;

export interface DeviceAnswer {
	computer: boolean;
	phone: boolean;
	tablet: boolean;
}

function yesNo(value: string, field: string, row: number): boolean | undefined {
	const v = value.trim();
	if (!v) return undefined;
	if (YES.test(v)) return true;
	if (NO.test(v)) return false;
	if (/^\d+$/.test(v)) return Number(v) > 0; // a count ("2")
	throw new InputError(`"${excerpt(v)}" is not yes or no`, { row, field, hint: 'Write 有/无, 是/否 or yes/no' });
}

export interface ClassSummary {
	class: string;
	respondents: number;
	withComputer: number;
	withPhone: number;
	withTablet: number;
	phoneOnly: number;
	noDevice: number;
	noDeviceStudents: string;
	notAnswered: number;
	notAnsweredStudents: string;
}

export interface FollowUp {
	class: string;
	name: string;
	personId: string;
	issue: 'no device' | 'phone only' | 'no answer';
	reason: string;
	/** Index of the survey row, or of the roster row (input 2) for "no answer". */
	row: number;
	input: 0 | 1;
}

export interface SurveyOptions {
	columns?: Partial<Record<SurveyKey, string>>;
	/** Count "phone only" homes as needing a follow-up too (a shared parent's phone). */
	followUpPhoneOnly?: boolean;
}

export function summariseSurvey(
	surveyRows: Row[],
	rosterRows: Row[],
	options: SurveyOptions = {},
): { classes: ClassSummary[]; followUps: FollowUp[]; problems: RowProblem[]; rosterProblems: RowProblem[]; classRows: Map<string, number[]> } {
	const sc = columnsFor(SURVEY_COLUMNS, options.columns, 'survey rows');
	const sample = firstRow(surveyRows);
	if (sample) {
		sc.resolve(sample, ['name', 'className']);
		if (!sc.has('devices') && !sc.has('computer') && !sc.has('phone') && !sc.has('tablet')) {
			throw new InputError('The survey rows have no device column', {
				field: 'devices',
				hint: `Columns found: ${Object.keys(sample).join(', ')}. Map a 家中设备 (devices) column or 电脑/手机 yes-no columns.`,
			});
		}
	}
	const { values, problems } = eachRow(surveyRows, (row, index) => {
		const name = sc.requiredText(row, 'name', index);
		const className = sc.requiredText(row, 'className', index);
		const answer: DeviceAnswer = { computer: false, phone: false, tablet: false };
		const devices = sc.text(row, 'devices');
		if (devices && !NONE.test(devices)) {
			answer.computer = COMPUTER.test(devices);
			answer.phone = PHONE.test(devices);
			answer.tablet = TABLET.test(devices);
			if (!answer.computer && !answer.phone && !answer.tablet && !YES.test(devices)) {
				throw new InputError(`"${excerpt(devices)}" names no device this summary knows`, { row: index, field: sc.column('devices') ?? findColumn(row, options.columns?.devices || SURVEY_COLUMNS.devices) ?? 'devices', hint: 'Use 电脑, 手机, 平板 (computer, phone, tablet) or 无 (none)' });
			}
		}
		for (const k of ['computer', 'phone', 'tablet'] as const) {
			// Looked up per row: a merged sheet may have the column on some rows only.
			const column = findColumn(row, SURVEY_COLUMNS[k] && (options.columns?.[k] || SURVEY_COLUMNS[k]));
			if (column !== undefined) {
				const v = yesNo(sc.text(row, k), column, index);
				if (v !== undefined) answer[k] = answer[k] || v;
			}
		}
		return { index, name, id: sc.text(row, 'id'), className, answer };
	});

	const byClass = new Map<string, ClassSummary>();
	const summary = (c: string) => {
		let s = byClass.get(c);
		if (!s) {
			s = { class: c, respondents: 0, withComputer: 0, withPhone: 0, withTablet: 0, phoneOnly: 0, noDevice: 0, noDeviceStudents: '', notAnswered: 0, notAnsweredStudents: '' };
			byClass.set(c, s);
		}
		return s;
	};
	const followUps: FollowUp[] = [];
	const answered = new Set<string>();
	const classRows = new Map<string, number[]>();
	for (const { value } of values) classRows.set(value.className, [...(classRows.get(value.className) ?? []), value.index]);
	const rosterProblems: RowProblem[] = [];
	// The latest answer of a student counts (forms are often submitted twice).
	const latest = new Map<string, (typeof values)[number]['value']>();
	for (const { value } of values) latest.set(`${value.className}\u0000${value.id || value.name}`, value);
	for (const v of latest.values()) {
		if (v.id) answered.add(v.id);
		answered.add(`${v.className}\u0000${v.name}`);
		const s = summary(v.className);
		s.respondents++;
		if (v.answer.computer) s.withComputer++;
		if (v.answer.phone) s.withPhone++;
		if (v.answer.tablet) s.withTablet++;
		const none = !v.answer.computer && !v.answer.phone && !v.answer.tablet;
		const phoneOnly = !v.answer.computer && !v.answer.tablet && v.answer.phone;
		if (phoneOnly) s.phoneOnly++;
		if (none) {
			s.noDevice++;
			s.noDeviceStudents = s.noDeviceStudents ? `${s.noDeviceStudents}、${v.name}` : v.name;
			followUps.push({ class: v.className, name: v.name, personId: v.id, issue: 'no device', reason: 'No computer, phone or tablet at home', row: v.index, input: 0 });
		} else if (phoneOnly && options.followUpPhoneOnly) {
			followUps.push({ class: v.className, name: v.name, personId: v.id, issue: 'phone only', reason: 'Only a phone at home', row: v.index, input: 0 });
		}
	}
	if (rosterRows.some((r) => Object.keys(r).length)) {
		const rc = columnsFor({ name: '姓名, name', id: '学号, id, personId', className: '班级, class', role: '角色, role' }, undefined, 'roster rows');
		const rs = firstRow(rosterRows);
		if (rs) rc.resolve(rs, ['name', 'className']);
		const roster = eachRow(rosterRows, (row, index) => ({
			index,
			name: rc.requiredText(row, 'name', index),
			id: rc.text(row, 'id'),
			className: rc.requiredText(row, 'className', index),
			role: rc.text(row, 'role'),
		}));
		rosterProblems.push(...roster.problems);
		for (const { value: r } of roster.values) {
			if (r.role && !/学生|student/i.test(r.role)) continue;
			if ((r.id && answered.has(r.id)) || answered.has(`${r.className}\u0000${r.name}`)) continue;
			const s = summary(r.className);
			s.notAnswered++;
			s.notAnsweredStudents = s.notAnsweredStudents ? `${s.notAnsweredStudents}、${r.name}` : r.name;
			followUps.push({ class: r.className, name: r.name, personId: r.id, issue: 'no answer', reason: 'Has not answered the survey', row: r.index, input: 1 });
		}
	}
	const classes = [...byClass.values()].sort((a, b) => a.class.localeCompare(b.class, 'zh-CN'));
	return { classes, followUps, problems, rosterProblems, classRows };
}
