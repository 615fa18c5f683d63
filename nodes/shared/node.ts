/**
 * What every node's identity repeats, written once: the Operation property, the plain fields of
 * the description (group, version, defaults), and `execute` wired to the router. Each
 * <Node>.node.ts keeps, as a literal the lint rules read, what makes it itself: its names, icon,
 * subtitle, description, inputs, outputs, credentials and usableAsTool.
 */
import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
	INodePropertyOptions,
	INodeTypeDescription,
} from 'n8n-workflow';
import { route, type OperationMap } from './router';

/** group, version and defaults: every node here is at version 1 and named as it is shown. */
export function nodeBasics(
	displayName: string,
	group: 'transform' | 'output',
): Pick<INodeTypeDescription, 'group' | 'version' | 'defaults'> {
	return { group: [group], version: 1, defaults: { name: displayName } };
}

/** The Operation property (no expressions, as n8n wants), its options sorted by name. */
export function operationProperty(defaultOperation: string, options: INodePropertyOptions[]): INodeProperties {
	return {
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		default: defaultOperation,
		options,
	};
}

/** The node's `execute`: the router over its operations (nodes/shared/router.ts). */
export function routedExecute(
	operations: OperationMap,
	options: Parameters<typeof route>[2] = {},
): (this: IExecuteFunctions) => Promise<INodeExecutionData[][]> {
	return async function (this: IExecuteFunctions) {
		return await route(this, operations, options);
	};
}
