/**
 * One router for every node: each operation is a module (`nodes/<Node>/actions/<operation>.ts`)
 * exporting its parameters (`description`) and its `execute`. The router picks the operation,
 * hands it the items, and handles the rest once for all nodes:
 * - a whole-dataset failure (a missing column, a bad parameter) becomes, under continue-on-fail,
 *   one error item for **every** input item, each paired with its own item, so no item is lost;
 *   without continue-on-fail it is thrown as a NodeOperationError naming the row and field;
 * - `eachItem` runs a per-item operation with the same rules for a single item's failure.
 * The model is n8n-nodes-base's Google Sheets v2 and Microsoft Teams v2 routers
 * (../../../shared/STYLE.md, section 2).
 */
import {
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
	type IPairedItemData,
} from 'n8n-workflow';
import { errorItem, toNodeError } from './n8n';
import { isEmptyRow, type Row } from './rows';

export interface OperationModule {
	/** The operation's own parameters, each with displayOptions for this operation. */
	description: INodeProperties[];
	/** Runs the operation over the items of the first input (others via this.getInputData(k)). */
	execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[][]>;
}

export type OperationMap = Record<string, OperationModule>;

/** Input k's items, or none when that input is not connected (n8n throws then). */
export function inputItems(ctx: IExecuteFunctions, index: number): INodeExecutionData[] {
	try {
		return ctx.getInputData(index) ?? [];
	} catch {
		return [];
	}
}

/** How many main outputs the node has for its current parameters. */
export function outputCount(ctx: IExecuteFunctions): number {
	try {
		const outputs = ctx.getNodeOutputs();
		return Math.max(1, outputs.filter((o) => o.type === 'main').length);
	} catch {
		return 1;
	}
}

/** Every operation's parameters, for the node description. */
export function operationProperties(operations: OperationMap): INodeProperties[] {
	return Object.values(operations).flatMap((op) => op.description);
}

/**
 * Error items, one per input item of every input the node reads, for a failure that hit the
 * whole dataset. Each names the row (1-based) and its input.
 */
export function wholeDatasetErrors(
	ctx: IExecuteFunctions,
	error: unknown,
	inputCount: number,
): INodeExecutionData[] {
	const out: INodeExecutionData[] = [];
	for (let input = 0; input < inputCount; input++) {
		const items = inputItems(ctx, input);
		items.forEach((_, i) => out.push(errorItem(error, i, undefined, input)));
	}
	if (!out.length) out.push(errorItem(error, 0));
	return out;
}

/**
 * Runs the chosen operation. `inputCount` is how many inputs the node reads (for pairing the
 * error items of a whole-dataset failure with every item of every input).
 */
export async function route(
	ctx: IExecuteFunctions,
	operations: OperationMap,
	options: {
		parameter?: string;
		inputCount?: number | ((operation: string) => number);
		/** The output that takes whole-dataset error items (default 0), e.g. a node's "Failed" output. */
		errorOutput?: number;
	} = {},
): Promise<INodeExecutionData[][]> {
	const operation = ctx.getNodeParameter(options.parameter ?? 'operation', 0) as string;
	const op = operations[operation];
	if (!op) {
		throw new NodeOperationError(ctx.getNode(), `The operation "${String(operation).slice(0, 60)}" is not known`, {
			description: `Choose one of: ${Object.keys(operations).join(', ')}`,
		});
	}
	const items = inputItems(ctx, 0);
	try {
		return await op.execute.call(ctx, items);
	} catch (error) {
		if (!ctx.continueOnFail()) throw toNodeError(ctx, error);
		const n = typeof options.inputCount === 'function' ? options.inputCount(operation) : (options.inputCount ?? 1);
		const at = options.errorOutput ?? 0;
		const outputs: INodeExecutionData[][] = Array.from({ length: Math.max(outputCount(ctx), at + 1) }, () => []);
		outputs[at] = wholeDatasetErrors(ctx, error, n);
		return outputs;
	}
}

/** What a per-item step may give back: json objects, or ready items (paired here if unpaired). */
export type ItemResult = IDataObject | IDataObject[] | INodeExecutionData | INodeExecutionData[] | undefined;

function isItem(x: unknown): x is INodeExecutionData {
	return typeof x === 'object' && x !== null && 'json' in x && typeof (x as { json: unknown }).json === 'object';
}

/**
 * Runs `fn` on each item. A failing item becomes an error item under continue-on-fail (paired
 * with it), else the error is thrown naming the item. Results without pairedItem are paired with
 * their item.
 */
export async function eachItem(
	ctx: IExecuteFunctions,
	items: INodeExecutionData[],
	fn: (item: INodeExecutionData, index: number) => Promise<ItemResult> | ItemResult,
): Promise<INodeExecutionData[]> {
	const out: INodeExecutionData[] = [];
	for (let i = 0; i < items.length; i++) {
		try {
			const result = await fn(items[i], i);
			const list = result === undefined ? [] : Array.isArray(result) ? result : [result];
			for (const r of list as Array<IDataObject | INodeExecutionData>) {
				const item: INodeExecutionData = isItem(r) ? r : { json: r as IDataObject };
				if (item.pairedItem === undefined) item.pairedItem = { item: i } as IPairedItemData;
				out.push(item);
			}
		} catch (error) {
			if (!ctx.continueOnFail()) throw toNodeError(ctx, error, i);
			out.push(errorItem(error, i));
		}
	}
	return out;
}

/** The non-empty rows of input `input` that no item of `out` is paired with, in input order. */
export function notSelected(out: INodeExecutionData[], rows: INodeExecutionData[], input: number): INodeExecutionData[] {
	const used = new Set<number>();
	for (const item of out) {
		const pairs = item.pairedItem === undefined ? [] : Array.isArray(item.pairedItem) ? item.pairedItem : [item.pairedItem];
		for (const p of pairs) {
			if (typeof p === 'number') {
				if (input === 0) used.add(p);
			} else if ((p.input ?? 0) === input) used.add(p.item);
		}
	}
	const rest: INodeExecutionData[] = [];
	rows.forEach((row, i) => {
		if (used.has(i) || isEmptyRow(row.json as Row)) return;
		rest.push({ json: row.json, pairedItem: input ? { item: i, input } : { item: i } });
	});
	return rest;
}
