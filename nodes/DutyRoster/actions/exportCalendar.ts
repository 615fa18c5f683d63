/**
 * Export Calendar: stored roster rows to an iCalendar file (one person, each person, or the whole
 * roster), as binary data.
 */
import { NodeOperationError, type IExecuteFunctions, type INodeExecutionData, type INodeProperties } from 'n8n-workflow';
import { DateTime } from 'luxon';
import { problemItems } from '../../shared/n8n';
import { buildCalendar } from '../ical';
import { parseRoster } from '../roster';
import { json, paired, readRows, rosterOptions, withKind } from './common';
import { showFor } from '../../shared/parameters';

export const description: INodeProperties[] = [
	{
		displayName: 'Person',
		name: 'person',
		type: 'string',
		default: '',
		placeholder: 'T012 or 张三',
		description: "Whose calendar (ID or name). Empty: the whole roster, with each event naming who is on duty.",
		displayOptions: showFor('exportCalendar'),
	},
	{
		displayName: 'One File per Person',
		name: 'filePerPerson',
		type: 'boolean',
		default: false,
		description: 'Whether to output one item with its own file for each person in the roster (for mailing each their duties)',
		displayOptions: showFor('exportCalendar'),
	},
	{
		displayName: 'Calendar Name',
		name: 'calendarName',
		type: 'string',
		default: 'Duty Roster',
		displayOptions: showFor('exportCalendar'),
	},
	{
		displayName: 'File Name',
		name: 'fileName',
		type: 'string',
		default: 'duty-roster.ics',
		description: "With one file per person, the person's ID is added before .ics",
		displayOptions: showFor('exportCalendar'),
	},
	{
		displayName: 'Put Output File in Field',
		name: 'binaryPropertyName',
		type: 'string',
		default: 'data',
		hint: 'The name of the output binary field to put the file in',
		displayOptions: showFor('exportCalendar'),
	},
];

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[][]> {
	const { zone, rosterColumns } = rosterOptions(this);
	const { entries, problems } = parseRoster(json(items), zone, rosterColumns);
	const errors = withKind(problemItems(this, problems, items, 0));
	const who = String(this.getNodeParameter('person', 0, '') ?? '').trim();
	const perPerson = this.getNodeParameter('filePerPerson', 0, false) as boolean;
	const calendarName = String(this.getNodeParameter('calendarName', 0, 'Duty Roster'));
	const fileName = String(this.getNodeParameter('fileName', 0, 'duty-roster.ics')) || 'duty-roster.ics';
	const field = String(this.getNodeParameter('binaryPropertyName', 0, 'data')) || 'data';
	const stamp = DateTime.utc();
	const files: Array<{ personId?: string; personName?: string; name: string }> = [];
	if (who) {
		const e = entries.find((x) => x.personId === who) ?? entries.find((x) => x.personName === who);
		if (!e) throw new NodeOperationError(this.getNode(), `"${who}" has no duty in the roster rows`, { description: 'Check the Person parameter: an ID or a name from the roster' });
		files.push({ personId: e.personId, personName: e.personName, name: fileName });
	} else if (perPerson) {
		const ids = new Map<string, string>();
		for (const e of entries) if (!ids.has(e.personId)) ids.set(e.personId, e.personName);
		for (const [id, name] of ids) files.push({ personId: id, personName: name, name: fileName.replace(/(\.ics)?$/i, `-${id}.ics`) });
	} else {
		files.push({ name: fileName });
	}
	const out: INodeExecutionData[] = [];
	for (const f of files) {
		const mine = f.personId === undefined ? entries : entries.filter((e) => e.personId === f.personId);
		const { text, events } = buildCalendar(entries, {
			zone: zone ?? 'Asia/Shanghai',
			calendarName: f.personName ? `${calendarName}: ${f.personName}` : calendarName,
			personId: f.personId,
			stamp,
		});
		const binary = await this.helpers.prepareBinaryData(Buffer.from(text, 'utf8'), f.name, 'text/calendar');
		out.push({
			json: { fileName: f.name, events, personId: f.personId ?? '', personName: f.personName ?? '', timezone: zone },
			binary: { [field]: binary },
			pairedItem: paired(mine.map((e) => e.row)),
		});
	}
	// Rows in no file (other kinds than assignment, or, with Person set, other people's duties) go to "Not in Calendar", as they came in.
	const inFile = new Set((who ? entries.filter((e) => e.personId === files[0].personId) : entries).map((e) => e.row));
	const notInCalendar = readRows(items, problems)
		.filter((p) => !inFile.has(p.item))
		.map((p) => ({ json: items[p.item].json, pairedItem: { item: p.item } }));
	return [[...out, ...errors], notInCalendar];
}
