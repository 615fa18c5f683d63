/**
 * The demo clock: `npm start` runs the check-in workflows on a clock that shows a school-day
 * morning whatever the hour, so the whole story (reminders, a personal link, a report that
 * counts, no second reminder) can be tried at night or on a Sunday. A school's own n8n uses the
 * real time: only the demo's copies of the workflows are shifted (scripts/start.ts).
 */
import { DateTime } from 'luxon';

export const DEMO_ZONE = 'Asia/Shanghai';

export interface DemoClock {
	/** Minutes added to n8n's $now in the demo's check-in workflows (0: the real time works). */
	offsetMinutes: number;
	/** What the demo clock showed when the demo started. */
	demoStart: DateTime;
	reason: string;
}

/** Within a slot's reminder window (due passed, grace not over) on a school day: the real time. */
function inReminderWindow(t: DateTime): boolean {
	const m = t.hour * 60 + t.minute;
	return (m >= 9 * 60 + 5 && m < 10 * 60 + 15) || (m >= 17 * 60 + 5 && m < 18 * 60 + 15);
}

/**
 * The demo's clock for a real time `now`: the real time when it is a school day's reminder
 * window; else 09:20 on the most recent school day (today if today is one and 09:20 has passed),
 * so the morning check (due 09:00, 90 minutes' grace) is due and the make-up window open.
 */
export function demoClock(now: DateTime, isSchoolDay: (isoDate: string) => boolean): DemoClock {
	const local = now.setZone(DEMO_ZONE);
	if (isSchoolDay(local.toISODate() as string) && inReminderWindow(local)) {
		return { offsetMinutes: 0, demoStart: local, reason: 'a school day, in a reminder window: the real time' };
	}
	let day = local.startOf('day');
	const morning = (d: DateTime) => d.set({ hour: 9, minute: 20 });
	if (morning(day) > local) day = day.minus({ days: 1 });
	for (let i = 0; i < 60 && !isSchoolDay(day.toISODate() as string); i++) day = day.minus({ days: 1 });
	const demoStart = morning(day);
	const offsetMinutes = Math.round(demoStart.diff(local, 'minutes').minutes);
	return { offsetMinutes, demoStart, reason: `09:20 on the most recent school day (${day.toISODate()})` };
}

/** `$now.toISO()` in a workflow expression, shifted by the demo clock's offset (idempotent). */
export function shiftNow(expression: string, offsetMinutes: number): string {
	const shifted = offsetMinutes ? `$now.plus({ minutes: ${offsetMinutes} })` : '$now';
	return expression.replace(/\$now(\.plus\(\{ minutes: -?\d+ \}\))?(?=\.toISO\(\))/g, shifted);
}
