/** School Calendar through the property suite (see harness.ts for what is checked). */
import { SchoolCalendar } from '../../nodes/SchoolCalendar/SchoolCalendar.node';
import { describeNode, type NodeSpec } from './harness';

const items = [
	{ date: '2026-03-02', name: '张三' },
	{ timestamp: '2026-03-02T08:40:00+08:00', reporterId: 'T1' },
	{ from: '2026-10-01', to: '2026-10-08' },
];

export const calendarSpec: NodeSpec = {
	title: 'School Calendar',
	node: new SchoolCalendar(),
	params: (operation) =>
		({
			checkDay: { date: '2026-03-02' },
			checkSlot: { timestamp: '2026-03-02T08:40:00+08:00' },
			listDays: { from: '2026-03-02', to: '2026-03-15' },
		})[operation] ?? {},
	samples: () => [items],
};

describeNode(calendarSpec);
