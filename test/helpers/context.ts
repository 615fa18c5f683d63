/**
 * A small IExecuteFunctions for adapter tests (test/nodes). It runs the real node code with the
 * given parameters and input items: only n8n's host (parameters, inputs, helpers) is provided
 * here, never the code under test.
 */
import type {
	IBinaryData,
	IDataObject,
	IExecuteFunctions,
	IHttpRequestOptions,
	INode,
	INodeExecutionData,
} from 'n8n-workflow';

export interface ContextOptions {
	/** The execution's node context (n8n keeps it for the whole execution); shared across calls when given. */
	nodeContext?: IDataObject;
	/** Node parameters; dotted paths like 'slots.slot' are resolved against them. */
	parameters: IDataObject;
	/** Input items per input index (index 0 is the main input). */
	inputs: IDataObject[][] | INodeExecutionData[][];
	continueOnFail?: boolean;
	credentials?: Record<string, IDataObject>;
	/** Answers httpRequest / httpRequestWithAuthentication (for example a call to a fake server). */
	http?: (options: IHttpRequestOptions, credentialType?: string) => Promise<unknown>;
	timezone?: string;
	nodeName?: string;
	typeVersion?: number;
}

function getPath(obj: IDataObject, path: string): unknown {
	return path.split('.').reduce<unknown>((o, k) => (o && typeof o === 'object' ? (o as IDataObject)[k] : undefined), obj);
}

function toItems(list: IDataObject[] | INodeExecutionData[]): INodeExecutionData[] {
	return (list as Array<IDataObject | INodeExecutionData>).map((x) =>
		x && typeof x === 'object' && 'json' in x && typeof (x as INodeExecutionData).json === 'object'
			? (x as INodeExecutionData)
			: { json: x as IDataObject },
	);
}

export function makeContext(opts: ContextOptions): IExecuteFunctions & { sent: IHttpRequestOptions[] } {
	const node: INode = {
		id: 'test-node',
		name: opts.nodeName ?? 'Test Node',
		type: 'n8n-nodes-campus-logistics.test',
		typeVersion: opts.typeVersion ?? 1,
		position: [0, 0],
		parameters: opts.parameters as INode['parameters'],
	};
	const inputs = opts.inputs.map(toItems);
	const sent: IHttpRequestOptions[] = [];
	const nodeContext = opts.nodeContext ?? {};
	const http = async (o: IHttpRequestOptions, type?: string) => {
		sent.push(o);
		if (!opts.http) throw new Error('No HTTP handler given to the test context');
		return opts.http(o, type);
	};
	const ctx = {
		sent,
		getNode: () => node,
		getInputData: (inputIndex = 0) => inputs[inputIndex] ?? [],
		getNodeParameter: (...args: [string, number, unknown?]) => {
			const [name, , fallback] = args;
			const v = getPath(opts.parameters, name);
			if (v === undefined) {
				if (args.length >= 3) return fallback;
				throw new Error(`Parameter "${name}" is not set in the test context`);
			}
			return v;
		},
		continueOnFail: () => opts.continueOnFail ?? false,
		getTimezone: () => opts.timezone ?? 'Asia/Shanghai',
		getCredentials: async (type: string) => {
			const c = opts.credentials?.[type];
			if (!c) throw new Error(`No credentials of type ${type} in the test context`);
			return c;
		},
		getContext: (type: string) => {
			if (type !== 'node') throw new Error(`Only the node context is given in tests, not "${type}"`);
			return nodeContext;
		},
		getExecutionId: () => 'test-execution',
		getWorkflow: () => ({ id: 'test-workflow', name: 'Test', active: false }),
		logger: { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} },
		helpers: {
			httpRequest: (o: IHttpRequestOptions) => http(o),
			httpRequestWithAuthentication: (type: string, o: IHttpRequestOptions) => http(o, type),
			returnJsonArray: (data: IDataObject | IDataObject[]) =>
				(Array.isArray(data) ? data : [data]).map((json) => ({ json })),
			constructExecutionMetaData: (items: INodeExecutionData[], meta: { itemData: unknown }) =>
				items.map((i) => ({ ...i, pairedItem: meta.itemData as INodeExecutionData['pairedItem'] })),
			prepareBinaryData: async (data: Buffer, fileName?: string, mimeType?: string): Promise<IBinaryData> => ({
				data: data.toString('base64'),
				fileName,
				mimeType: mimeType ?? 'application/octet-stream',
				fileSize: String(data.length),
			}),
		},
	};
	return ctx as unknown as IExecuteFunctions & { sent: IHttpRequestOptions[] };
}
