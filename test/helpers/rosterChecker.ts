/**
 * A rule checker for Duty Roster output that shares no code with the package: it reads the
 * output rows, the staff rows and the earlier roster rows as plain objects and checks every hard
 * rule with luxon only. Used by the roster tests and the roster benchmark.
 *
 * Rules: the person has the duty's role; no assignment touches a day of leave; no two of a
 * person's shifts overlap and at least `minRestHours` lie between them (earlier rows included);
 * at most `maxPerDay` daily shifts start on one date; at most the weekly cap of assignments fall in
 * one ISO week (earlier rows included). Weekly assignments are checked day by day: each covered
 * day holds one shift with the clock times of the row's start and end.
 */
import { DateTime } from 'luxon';

export type Rec = Record<string, unknown>;

export interface CheckOptions {
	minRestHours?: number;
	maxPerDay?: number;
	/** Default weekly cap when the staff row has none (0 = none). */
	maxPerWeek?: number;
	zone?: string;
	/** For weekly rows: the dates they cover (from the calendar), by assignmentId. */
	weeklyDays?: Map<string, string[]>;
}

interface Shift {
	s: number;
	e: number;
	label: string;
}

const str = (v: unknown) => (v === undefined || v === null ? '' : String(v).trim());

function staffOf(staff: Rec[]) {
	const out = new Map<string, { roles: string[]; leave: Array<[string, string]>; cap: number | undefined; name: string }>();
	for (const r of staff) {
		const id = str(r.id ?? r.工号) || str(r.name ?? r.姓名);
		const roles = str(r.roles ?? r.角色).split(/[,，;；]\s*/).map((x) => x.trim().toLowerCase()).filter(Boolean);
		const leave = str(r.unavailable ?? r.请假)
			.split(/[,，]\s*/)
			.filter(Boolean)
			.map((t) => {
				const [a, b] = t.split('..');
				return [a.trim(), (b ?? a).trim()] as [string, string];
			});
		const capText = str(r.maxPerWeek ?? r.每周上限);
		out.set(id, { roles, leave, cap: capText ? Number(capText) : undefined, name: str(r.name ?? r.姓名) });
	}
	return out;
}

/** Each covered day's shift of a row (one for a daily row, one per covered day for a weekly row). */
function shiftsOf(row: Rec, o: CheckOptions): Shift[] {
	const zone = o.zone ?? 'Asia/Shanghai';
	const start = DateTime.fromISO(str(row.start), { setZone: true }).setZone(zone);
	const end = DateTime.fromISO(str(row.end), { setZone: true }).setZone(zone);
	const label = `${str(row.duty)} ${str(row.shift)} ${str(row.date)}`;
	const days = o.weeklyDays?.get(str(row.assignmentId));
	if (!days || str(row.cadence) !== 'weekly') return [{ s: start.toMillis(), e: end.toMillis(), label }];
	return days.map((d) => {
		const s = DateTime.fromISO(d, { zone }).set({ hour: start.hour, minute: start.minute });
		let e = DateTime.fromISO(d, { zone }).set({ hour: end.hour, minute: end.minute });
		if (e <= s) e = e.plus({ days: 1 });
		return { s: s.toMillis(), e: e.toMillis(), label: `${label} (${d})` };
	});
}

const isoWeek = (date: string) => {
	const d = DateTime.fromISO(date);
	return `${d.weekYear}-W${d.weekNumber}`;
};

/** Every broken hard rule, in words; [] when none. */
export function checkRoster(assignments: Rec[], staff: Rec[], earlier: Rec[], o: CheckOptions = {}): string[] {
	const rest = (o.minRestHours ?? 8) * 3_600_000;
	const maxPerDay = o.maxPerDay ?? 1;
	const people = staffOf(staff);
	const broken: string[] = [];
	const byPerson = new Map<string, Array<{ row: Rec; earlier: boolean }>>();
	for (const [rows, isEarlier] of [
		[earlier, true],
		[assignments, false],
	] as Array<[Rec[], boolean]>) {
		for (const row of rows) {
			if (str(row.kind) && str(row.kind) !== 'assignment') continue;
			const id = str(row.personId);
			byPerson.set(id, [...(byPerson.get(id) ?? []), { row, earlier: isEarlier }]);
		}
	}
	for (const [id, list] of byPerson) {
		const p = people.get(id);
		const mine = list.filter((x) => !x.earlier);
		if (!mine.length) continue;
		for (const { row } of mine) {
			if (p && !p.roles.includes(str(row.role).toLowerCase())) broken.push(`${id} lacks role ${str(row.role)} for ${str(row.assignmentId)}`);
			for (const sh of shiftsOf(row, o)) {
				const first = DateTime.fromMillis(sh.s, { zone: o.zone ?? 'Asia/Shanghai' }).toISODate() as string;
				const last = DateTime.fromMillis(sh.e - 1, { zone: o.zone ?? 'Asia/Shanghai' }).toISODate() as string;
				for (const [a, b] of p?.leave ?? []) if (first <= b && last >= a) broken.push(`${id} works ${sh.label} on leave ${a}..${b}`);
			}
		}
		const shifts = list.flatMap(({ row }) => shiftsOf(row, o)).sort((a, b) => a.s - b.s);
		for (let i = 0; i < shifts.length; i++) {
			for (let j = i + 1; j < shifts.length && shifts[j].s < shifts[i].e + rest; j++) {
				broken.push(`${id}: ${shifts[i].label} and ${shifts[j].label} ${shifts[j].s < shifts[i].e ? 'overlap' : `leave ${(shifts[j].s - shifts[i].e) / 3_600_000} h of rest`}`);
			}
		}
		const perDay = new Map<string, number>();
		const perWeek = new Map<string, number>();
		for (const { row } of list) {
			const date = str(row.date);
			const daily = str(row.cadence) ? str(row.cadence) === 'daily' : !str(row.endDate) || str(row.endDate) === date;
			if (daily) perDay.set(date, (perDay.get(date) ?? 0) + 1);
			perWeek.set(isoWeek(date), (perWeek.get(isoWeek(date)) ?? 0) + 1);
		}
		for (const [d, n] of perDay) if (n > maxPerDay) broken.push(`${id}: ${n} shifts on ${d} (cap ${maxPerDay})`);
		const cap = p?.cap ?? (o.maxPerWeek ? o.maxPerWeek : Infinity);
		for (const [w, n] of perWeek) if (n > cap) broken.push(`${id}: ${n} duties in ${w} (cap ${cap})`);
	}
	return broken;
}

/** Max minus min of the weighted load per role, over everyone with the role (this period only). */
export function spreadByRole(assignments: Rec[], staff: Rec[]): Map<string, number> {
	const people = staffOf(staff);
	const out = new Map<string, number>();
	const roles = new Set([...people.values()].flatMap((p) => p.roles));
	for (const role of roles) {
		const load = new Map<string, number>();
		for (const [id, p] of people) if (p.roles.includes(role)) load.set(id, 0);
		for (const a of assignments) {
			if (str(a.role).toLowerCase() !== role) continue;
			load.set(str(a.personId), (load.get(str(a.personId)) ?? 0) + Number(a.weight));
		}
		const xs = [...load.values()];
		if (xs.length) out.set(role, Math.round((Math.max(...xs) - Math.min(...xs)) * 1000) / 1000);
	}
	return out;
}
