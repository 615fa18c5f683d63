import type { ICredentialType, INodeProperties } from 'n8n-workflow';

/**
 * The secret that signs personal form links (HMAC-SHA256). It never leaves n8n, so there is no
 * remote endpoint to test it against: the Check-In Watch node tests it locally (testedBy), by
 * checking that it is present and long enough.
 */
export class CampusLinkSecretApi implements ICredentialType {
	name = 'campusLinkSecretApi';

	displayName = 'Campus Link Secret API';

	icon = { light: 'file:campusLinkSecret.svg', dark: 'file:campusLinkSecret.dark.svg' } as const;

	documentationUrl =
		'https://github.com/campus-logistics/n8n-nodes-campus-logistics/blob/main/docs/nodes/check-in-watch.md#personal-links-and-signatures';

	properties: INodeProperties[] = [
		{
			displayName: 'Secret',
			name: 'secret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description:
				'A long random text (at least 16 characters, 32 or more recommended), e.g. from "openssl rand -base64 32". Links signed with it are checked with it: changing it makes every link already sent invalid.',
		},
	];
}
