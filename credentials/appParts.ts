/**
 * What the three app credentials (DingTalk work notifications, WeCom app messages, Feishu app
 * messages) share: the hidden expirable token n8n fills by preAuthentication, the app's id and
 * secret fields, the base URL, and the credential-test rule that reads an error code from an
 * HTTP 200 body. Each credential file keeps its identity (name, icon, docs, test request).
 */
import type { IAuthenticateRuleResponseSuccessBody, INodeProperties } from 'n8n-workflow';
import { APP_BASE_URL, type AppPlatform } from '../nodes/SchoolNotify/apps/platforms';
import { authenticateFor, bodyRule, preAuthenticationFor, tokenProperties } from '../nodes/SchoolNotify/apps/token';

/** One plain field of an app credential: [displayName, name, description, placeholder?]. */
export type AppField = [displayName: string, name: string, description: string, placeholder?: string];

/** The fields of one app credential, in the order the credential shows them. */
export interface AppFields {
	platform: AppPlatform;
	tokenLabel: string;
	/** The app's id field (App Key, Corp ID, App ID). */
	id: AppField;
	/** The app secret's name in the stored credential and its description. */
	secret: [name: string, description: string];
	/** Fields after the secret (the agent id). */
	more?: AppField[];
	baseUrlDescription: string;
}

function plainField([displayName, name, description, placeholder]: AppField): INodeProperties {
	return { displayName, name, type: 'string', default: '', required: true, ...(placeholder ? { placeholder } : {}), description };
}

/** The credential's properties: token (hidden), id, secret, more, base URL. */
export function appProperties(f: AppFields): INodeProperties[] {
	const [secretName, secretDescription] = f.secret;
	return [
		...tokenProperties(f.tokenLabel),
		plainField(f.id),
		{
			displayName: 'App Secret',
			name: secretName,
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description: secretDescription,
		},
		...(f.more ?? []).map(plainField),
		{ displayName: 'Base URL', name: 'baseUrl', type: 'string', default: APP_BASE_URL[f.platform], description: f.baseUrlDescription },
	];
}

/** preAuthentication and authenticate of one platform's app credential. */
export function appAuthentication(platform: AppPlatform) {
	return { preAuthentication: preAuthenticationFor(platform), authenticate: authenticateFor(platform) };
}

/** The credential-test rules: the answer's error code (errcode or code) means the message. */
export function appRules(
	key: 'errcode' | 'code',
	rules: Array<[code: number, message: string]>,
): IAuthenticateRuleResponseSuccessBody[] {
	return rules.map(([code, message]) => bodyRule(key, code, message));
}
