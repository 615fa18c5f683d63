#!/usr/bin/env node
// Loads a semester of check-in history straight into an n8n Data Table's SQLite table, for the
// reminders bench: 1.8 million rows through n8n's REST API (500 rows a request) take most of an
// hour, one SQLite transaction takes seconds. Run with n8n's own Node (24, which has node:sqlite)
// while n8n runs (WAL lets this writer in; n8n is idle during the load).
//
// Usage: node load-history.js <request.json>
//   { db, table, staff: [{staffId, name, department}], days: ["2026-09-01", ...],
//     today, absentEvery }
// Prints the number of rows inserted.
'use strict';
const { readFileSync } = require('node:fs');
const { DatabaseSync } = require('node:sqlite');

const req = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const db = new DatabaseSync(req.db);
db.exec('PRAGMA busy_timeout = 60000');
// createdAt/updatedAt as n8n writes them on SQLite (UTC, 'YYYY-MM-DD HH:MM:SS.SSS'): the time of the report.
const cols = ['reporterId', 'name', 'department', 'slot', 'temperature', 'symptoms', 'location', 'submittedAt', 'createdAt', 'updatedAt'];
const quoted = cols.map((c) => `"${c}"`).join(', ');
const insert = db.prepare(`INSERT INTO "${req.table}" (${quoted}) VALUES (${cols.map(() => '?').join(', ')})`);
let rows = 0;
db.exec('BEGIN IMMEDIATE');
try {
	for (const day of [...req.days, req.today]) {
		const isToday = day === req.today;
		req.staff.forEach((s, i) => {
			for (const h of isToday ? ['08'] : ['08', '16']) {
				if (isToday && i % req.absentEvery === 0) continue; // absent this morning
				if (!isToday && (i + day.charCodeAt(9)) % 37 === 0) continue; // the odd miss
				const submittedAt = `${day}T${h}:${String(i % 50).padStart(2, '0')}:00+08:00`;
				const created = new Date(submittedAt).toISOString().replace('T', ' ').replace('Z', '');
				insert.run(
					s.staffId,
					s.name,
					s.department,
					h === '08' ? 'Morning' : 'Afternoon',
					'36.5',
					'无 None',
					'校内',
					submittedAt,
					created,
					created,
				);
				rows++;
			}
		});
	}
	db.exec('COMMIT');
} catch (e) {
	db.exec('ROLLBACK');
	throw e;
}
db.close();
console.log(String(rows));
