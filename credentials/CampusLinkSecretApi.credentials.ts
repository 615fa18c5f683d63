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
				'A long random text (at least 16 characters and 8 different ones, 32 or more recommended), e.g. from "openssl rand -base64 32". New links are signed with it.',
		},
		{
			displayName: 'Previous Secret',
			name: 'previousSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description:
				'When rotating: the secret before this one. Links signed with it are still accepted until the date below, then refused. Leave empty when the old secret leaked: every old link is refused at once.',
		},
		{
			displayName: 'Previous Secret Accepted Until',
			name: 'rotationGraceUntil',
			type: 'string',
			default: '',
			placeholder: '2026-09-30T00:00:00+08:00',
			description:
				'The end of the grace period for the previous secret (an ISO date and time). Needed when a previous secret is set; the longest link is valid 31 days.',
		},
	];
}
