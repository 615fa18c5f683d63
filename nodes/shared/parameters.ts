/**
 * Parameter blocks that several nodes show, defined once: column mappings (which table column
 * holds what) and daily check slots. Each comes with the reader that turns the node's
 * parameter back into plain data for the domain modules.
 */
import type {
	IDataObject,
	IDisplayOptions,
	IExecuteFunctions,
	INodeProperties,
	INodePropertyOptions,
	NodeParameterValueType,
	NodePropertyTypes,
} from 'n8n-workflow';
import type { SlotInput } from './slots';

/**
 * A column setting: its label in the node and a hint of what it holds (or the label alone, when
 * the label says it all).
 */
export type ColumnLabels<K extends string> = Record<K, [label: string, hint: string] | string>;

/** displayOptions that show a parameter for these operations only. */
export function showFor(...operation: string[]): { show: { operation: string[] } } {
	return { show: { operation } };
}

/** One choice of an options parameter: its name, its value and, where it helps, a description. */
export type Choice = [name: string, value: string | number | boolean, description?: string];

/** The option entries of a list of choices, in the order given. */
export function choices(list: Choice[]): INodePropertyOptions[] {
	return list.map(([name, value, description]) => (description ? { name, value, description } : { name, value }));
}

/** An options parameter declared by its choices (the order given is the order shown). */
export function choiceProperty(
	displayName: string,
	name: string,
	dflt: string | number | boolean,
	list: Choice[],
	extra: { description?: string; displayOptions?: IDisplayOptions } = {},
): INodeProperties {
	const property: INodeProperties = { displayName, name, type: 'options', default: '' };
	return { ...property, default: dflt, options: choices(list), ...extra };
}

/** A plain parameter in one call: label, name, type and default first, then the rest. */
export function property(
	displayName: string,
	name: string,
	type: NodePropertyTypes,
	dflt: NodeParameterValueType,
	rest: Omit<Partial<INodeProperties>, 'displayName' | 'name' | 'type' | 'default'> = {},
): INodeProperties {
	const property: INodeProperties = { displayName, name, type, default: '' };
	return { ...property, default: dflt, ...rest };
}

/** A notice (a line of help in the node's panel), shown where `displayOptions` says. */
export function noticeProperty(name: string, text: string, displayOptions: IDisplayOptions): INodeProperties {
	const property: INodeProperties = { displayName: text, name, type: 'notice', default: '' };
	return { ...property, displayOptions };
}

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
		options: (Object.entries(o.labels) as Array<[K, [string, string] | string]>)
			.map(([key, text]) => {
				const [label, hint] = typeof text === 'string' ? [text, ''] : text;
				return {
					displayName: label,
					name: key,
					type: 'string' as const,
					default: o.defaults[key],
					description: `${hint || 'Column names to look for, separated by commas (first match wins)'}. Default: ${o.defaults[key]}.`,
				};
			})
			.sort((a, b) => a.displayName.localeCompare(b.displayName)),
	};
}

/** A column setting in one line: label, hint and the names looked for by default. */
export type ColumnEntry = [label: string, hint: string, defaults: string];

/** columnMappingProperty from one table of [label, hint, defaults] per column. */
export function columnTableProperty<K extends string>(o: {
	name: string;
	displayName: string;
	columns: Record<K, ColumnEntry>;
	displayOptions?: IDisplayOptions;
	description?: string;
}): INodeProperties {
	const entries = Object.entries(o.columns) as Array<[K, ColumnEntry]>;
	const labels = Object.fromEntries(entries.map(([k, [label, hint]]) => [k, [label, hint]])) as ColumnLabels<K>;
	const defaults = Object.fromEntries(entries.map(([k, e]) => [k, e[2]])) as Record<K, string>;
	return columnMappingProperty({ ...o, labels, defaults });
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
