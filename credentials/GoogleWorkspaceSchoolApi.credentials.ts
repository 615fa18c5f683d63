import type {
	IAuthenticateGeneric,
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IHttpRequestHelper,
	INodeProperties,
} from 'n8n-workflow';
import { passwordField, textField } from './fields';
import { DIRECTORY_ROOT } from '../nodes/TeachingAccounts/google';
import { fetchToken } from '../nodes/TeachingAccounts/serviceAccount';

/**
 * Google Workspace for a school: a service account with domain-wide delegation, acting as an
 * administrator. The access token is an expirable hidden field: n8n fills it by
 * `preAuthentication` (a JWT signed with the key, exchanged at the token URL through n8n's own
 * HTTP helper) when it is empty, when the credential is tested, and after an API call answers
 * 401; every queue-mode worker shares it. The credential test asks for a token with all four
 * scopes (Google refuses it if one is not delegated) and reads one user. The key, the token and
 * the password secret never reach items or logs.
 */
export class GoogleWorkspaceSchoolApi implements ICredentialType {
	name = 'googleWorkspaceSchoolApi';

	displayName = 'Google Workspace (School) Service Account API';

	icon = { light: 'file:googleWorkspaceSchool.svg', dark: 'file:googleWorkspaceSchool.dark.svg' } as const;

	documentationUrl =
		'https://github.com/campus-logistics/n8n-nodes-campus-logistics/blob/main/docs/nodes/teaching-accounts.md#google-service-account-and-domain-wide-delegation';

	properties: INodeProperties[] = [
		textField('Service Account Email', 'serviceAccountEmail', 'The client_email of the service account (Google Cloud console > IAM > Service accounts)', {
			placeholder: 'accounts-bot@my-project.iam.gserviceaccount.com',
			required: true,
		}),
		passwordField(
			'Private Key',
			'privateKey',
			'The private_key of the JSON key file, from -----BEGIN PRIVATE KEY----- to the end. Pasting the whole JSON key file also works.',
			{ typeOptions: { rows: 4 }, required: true },
		),
		textField(
			'Admin to Impersonate',
			'delegatedUser',
			'A Workspace administrator the service account acts as (domain-wide delegation). Classroom members are added directly only when this user is an admin.',
			{ placeholder: 'it-admin@school.edu.cn', required: true },
		),
		textField('Domain', 'domain', 'The primary domain of the accounts', { placeholder: 'school.edu.cn' }),
		textField('Customer ID', 'customer', 'Leave my_customer, or give the customer ID (C0xxxxxxx) from Admin console > Account settings', {
			default: 'my_customer',
		}),
		passwordField(
			'Initial Password Secret',
			'passwordSecret',
			'A long random text. Initial passwords are derived from it and each person\'s id, so a re-run gives the same password without storing it. Changing it changes every password not yet used.',
		),
		textField(
			'API Root URL',
			'apiRootUrl',
			'Leave empty for Google. Set it only for a private gateway or a test server (it serves both the Directory and the Classroom paths).',
			{ placeholder: 'https://admin.googleapis.com/' },
		),
		{ displayName: 'Access Token', name: 'accessToken', type: 'hidden', typeOptions: { expirable: true, password: true }, default: '' },
		textField('Token URL', 'tokenUrl', "Google's OAuth token endpoint. Change it only for a private gateway or a test server.", {
			default: 'https://oauth2.googleapis.com/token',
		}),
	];

	async preAuthentication(this: IHttpRequestHelper, credentials: ICredentialDataDecryptedObject) {
		const post = async (url: string, form: string) =>
			await this.helpers.httpRequest({
				method: 'POST',
				url,
				body: form,
				headers: { 'content-type': 'application/x-www-form-urlencoded' },
				json: true,
				timeout: 30000,
			});
		const accessToken = await fetchToken(
			{
				serviceAccountEmail: String(credentials.serviceAccountEmail ?? ''),
				privateKey: String(credentials.privateKey ?? ''),
				delegatedUser: String(credentials.delegatedUser ?? ''),
				tokenUrl: String(credentials.tokenUrl ?? '') || undefined,
			},
			post,
			Date.now(),
		);
		return { accessToken };
	}

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			headers: { Authorization: '=Bearer {{$credentials.accessToken}}' },
		},
	};

	test: ICredentialTestRequest = {
		request: {
			baseURL: `={{ $credentials.apiRootUrl || "${DIRECTORY_ROOT}" }}`,
			url: 'admin/directory/v1/users',
			qs: {
				customer: '={{ $credentials.customer || "my_customer" }}',
				maxResults: 1,
				fields: 'users(primaryEmail)',
			},
		},
		rules: [
			{
				type: 'responseCode',
				properties: {
					value: 403,
					message: 'Google refused the Directory read (403): is the user to impersonate a Workspace administrator?',
				},
			},
		],
	};
}
