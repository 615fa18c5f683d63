/**
 * Parameters whose values come from the items through expressions (Content, Card Title, ...):
 * the text the workflow author typed around the expressions is kept as written (their markdown,
 * their line breaks), and each value an expression puts in is user data, escaped for the channel
 * (userText.ts). n8n's own expression parser finds the expressions.
 */
import { ExpressionParser, type IExecuteFunctions } from 'n8n-workflow';
import type { Channel, Format } from '../shared/escape';
import { escapeText, linkPolicy, type LinkPolicy } from './userText';

/** The links that stay clickable: this n8n's own host and the robot options' Link Hosts. */
export function readLinkPolicy(ctx: IExecuteFunctions): LinkPolicy {
	let instance: string | undefined;
	try {
		instance = ctx.getInstanceBaseUrl();
	} catch {
		instance = undefined;
	}
	const options = ctx.getNodeParameter('options', 0, {}) as { linkHosts?: unknown };
	return linkPolicy(instance, options?.linkHosts);
}

function shown(value: unknown): string {
	if (value === undefined || value === null) return '';
	if (typeof value === 'object') {
		try {
			return JSON.stringify(value);
		} catch {
			return String(value);
		}
	}
	return String(value);
}

export interface MappedText {
	channel: Channel;
	format: Format;
	policy: LinkPolicy;
	multiline: boolean;
}

/**
 * Parameter `name` of item i with every expression's value escaped. `resolved` is what n8n gave
 * for the whole parameter; when the parameter holds no expression it is returned as it is (the
 * author typed it). When an expression cannot be evaluated on its own, the whole resolved text
 * is escaped (nothing unescaped gets through).
 */
export function mappedText(ctx: IExecuteFunctions, name: string, i: number, resolved: string, o: MappedText): string {
	const raw = ctx.getNode().parameters?.[name];
	const escape = (v: unknown) => escapeText(v, o.channel, o.format, o.policy, { multiline: o.multiline });
	if (typeof raw !== 'string' || !raw.startsWith('=')) return resolved;
	// n8n's evaluateExpression puts the "=" in front itself.
	try {
		const chunks = ExpressionParser.splitExpression(raw.slice(1));
		if (!chunks.some((c) => c.type === 'code')) return resolved;
		return chunks
			.map((c) => (c.type === 'text' ? c.text : escape(shown(ctx.evaluateExpression(`{{${c.text}}}`, i)))))
			.join('');
	} catch {
		return escape(resolved);
	}
}
