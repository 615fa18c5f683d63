import type { ICredentialType, INodeProperties } from 'n8n-workflow';
import { passwordField, textField } from './fields';

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
		passwordField(
			'Secret',
			'secret',
			'A long random text (at least 16 characters and 8 different ones, 32 or more recommended), e.g. from "openssl rand -base64 32". New links are signed with it.',
			{ required: true },
		),
		passwordField(
			'Previous Secret',
			'previousSecret',
			'When rotating: the secret before this one. Links signed with it are still accepted until the date below, then refused. Leave empty when the old secret leaked: every old link is refused at once.',
		),
		textField(
			'Previous Secret Accepted Until',
			'rotationGraceUntil',
			'The end of the grace period for the previous secret (an ISO date and time). Needed when a previous secret is set; the longest link is valid 31 days.',
			{ placeholder: '2026-09-30T00:00:00+08:00' },
		),
	];
}
