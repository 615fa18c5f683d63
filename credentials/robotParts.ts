/**
 * The parts the three robot credentials (WeCom, DingTalk, Feishu) share: the secret,
 * signing-secret, keyword and base-URL fields, and the credential-test rule that reads an error
 * code from an HTTP 200 body.
 */
import type {
	IAuthenticateRuleResponseSuccessBody,
	ICredentialDataDecryptedObject,
	IHttpRequestOptions,
	INodeProperties,
} from 'n8n-workflow';
import type { AuthRequest } from '../nodes/SchoolNotify/robotAuth';
import { passwordField, textField } from './fields';

/** The robot's own secret (key, token or hook id): whoever has it can post into the group. */
export function secretField(displayName: string, name: string, description: string): INodeProperties {
	return passwordField(displayName, name, description, { required: true });
}

export function signingSecretField(description: string): INodeProperties {
	return passwordField('Signing Secret', 'secret', description);
}

export function keywordField(app: 'robot' | 'bot'): INodeProperties {
	return textField(
		'Keyword',
		'keyword',
		`Only if the ${app}'s security setting "Custom keywords" (自定义关键词) is on: one of its keywords. School Notify adds it to messages that lack it.`,
	);
}

export function baseUrlField(defaultUrl: string, description = 'Change only for a private deployment or a test server'): INodeProperties {
	return textField('Base URL', 'baseUrl', description, { default: defaultUrl });
}

/** A credential-test rule: the body's error code `key` equal to `value` means `message`. */
export function codeRule(key: string, value: number, message: string): IAuthenticateRuleResponseSuccessBody {
	return { type: 'responseSuccessBody', properties: { key, value, message } };
}

/**
 * The credential's `authenticate`: adds the robot's address, key and signature to the request at
 * the last moment (robotAuth.ts), with the current time for signing.
 */
export function robotAuthenticate(
	auth: (credentials: ICredentialDataDecryptedObject, request: AuthRequest, nowMs: number) => AuthRequest,
): (credentials: ICredentialDataDecryptedObject, requestOptions: IHttpRequestOptions) => Promise<IHttpRequestOptions> {
	return async (credentials, requestOptions) => auth(credentials, requestOptions, Date.now()) as IHttpRequestOptions;
}
