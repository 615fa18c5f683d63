/**
 * Field builders every credential uses: a text field and a secret (password) field. Only what
 * differs is written in each credential file; the rest (type, default, typeOptions) is here.
 */
import type { INodeProperties } from 'n8n-workflow';

type Extra = Partial<Pick<INodeProperties, 'required' | 'placeholder' | 'default' | 'typeOptions'>>;

/** A text field (not secret). */
export function textField(displayName: string, name: string, description: string, extra: Extra = {}): INodeProperties {
	return { displayName, name, type: 'string', default: '', ...extra, description };
}

/** A secret field: shown as dots in n8n, never in items or logs. */
export function passwordField(displayName: string, name: string, description: string, extra: Extra = {}): INodeProperties {
	return textField(displayName, name, description, { ...extra, typeOptions: { password: true, ...extra.typeOptions } });
}
