/**
 * Parameter blocks that several nodes show, defined once: column mappings (which table column
 * holds what) and daily check slots. Each comes with the reader that turns the node's
 * parameter back into plain data for the domain modules.
 */
import type { IDataObject, IDisplayOptions, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import type { SlotInput } from './slots';

/** A column setting: its label in the node and a hint of what it holds. */
export type ColumnLabels<K extends string> = Record<K, [label: string, hint: string]>;

/**
 * A "Map a column" collection: one text setting per column, holding the names to look for
 * (separated by commas; the first one present is used), sorted by label as n8n's lint wants.
 */
export function columnMappingProperty<K extends string>(o: {
	name: string;
	displayName: string;
	labels: ColumnLabels<K>;
	defaults: Record<K, string>;
	displayOptions?: IDisplayOptions;
	description?: string;
}): INodeProperties {
	return {
		displayName: o.displayName,
		name: o.name,
		type: 'collection',
		placeholder: 'Map a column',
		default: {},
		...(o.displayOptions ? { displayOptions: o.displayOptions } : {}),
		description:
			o.description ??
			'Column names differ from school to school. Each setting lists the names to look for, separated by commas; the first one present is used.',
		options: (Object.entries(o.labels) as Array<[K, [string, string]]>)
			.map(([key, [label, hint]]) => ({
				displayName: label,
				name: key,
				type: 'string' as const,
				default: o.defaults[key],
				description: `${hint}. Default: ${o.defaults[key]}.`,
			}))
			.sort((a, b) => a.displayName.localeCompare(b.displayName)),
	};
}

/** The column mapping parameter over its defaults: a setting left empty keeps the default. */
export function readColumnMapping<K extends string>(
	ctx: IExecuteFunctions,
	name: string,
	defaults: Record<K, string>,
	itemIndex = 0,
): Record<K, string> {
	const set = ctx.getNodeParameter(name, itemIndex, {}) as IDataObject;
	const out = { ...defaults };
	for (const key of Object.keys(defaults) as K[]) {
		const v = set[key];
		if (typeof v === 'string' && v.trim()) out[key] = v;
	}
	return out;
}

/** The two slots a new node starts with. */
export const DEFAULT_SLOTS: SlotInput[] = [
	{ name: 'Morning', opens: '06:00', due: '09:00', graceMinutes: 30 },
	{ name: 'Afternoon', opens: '15:00', due: '17:00', graceMinutes: 30 },
];

/** The daily check slots (parameter `slots`, read as `slots.slot`): name, opens, due, grace. */
export function slotsProperty(o: {
	displayName: string;
	description: string;
	displayOptions?: IDisplayOptions;
	/** Texts of the slot's fields, where a node words them its own way. */
	fields?: { namePlaceholder?: string; opens?: string; due?: string; graceName?: string; grace: string };
}): INodeProperties {
	const f = o.fields ?? { grace: 'A report this long after Due still counts, as late' };
	const text = (description: string | undefined) => (description ? { description } : {});
	return {
		displayName: o.displayName,
		name: 'slots',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		default: { slot: DEFAULT_SLOTS.map((s) => ({ ...s })) },
		...(o.displayOptions ? { displayOptions: o.displayOptions } : {}),
		description: o.description,
		options: [
			{
				displayName: 'Slot',
				name: 'slot',
				values: [
					{
						displayName: 'Name',
						name: 'name',
						type: 'string',
						default: '',
						...(f.namePlaceholder ? { placeholder: f.namePlaceholder } : {}),
					},
					{ displayName: 'Opens', name: 'opens', type: 'string', default: '06:00', placeholder: 'HH:mm', ...text(f.opens) },
					{ displayName: 'Due', name: 'due', type: 'string', default: '09:00', placeholder: 'HH:mm', ...text(f.due) },
					{
						displayName: f.graceName ?? 'Make-Up Grace (Minutes)',
						name: 'graceMinutes',
						type: 'number',
						default: 30,
						typeOptions: { minValue: 0, maxValue: 1440 },
						description: f.grace,
					},
				],
			},
		],
	};
}

/** The slots parameter as typed (parseSlots in ./slots reads it). */
export function readSlotInputs(ctx: IExecuteFunctions, itemIndex = 0): SlotInput[] {
	return (ctx.getNodeParameter('slots.slot', itemIndex, []) as SlotInput[]) ?? [];
}
