// The official @n8n/node-cli lint setup, with three documented departures:
import { configWithoutCloudSupport } from '@n8n/node-cli/eslint';

export default [
	...configWithoutCloudSupport,
	{
		// 1. The package has runtime dependencies (luxon, zod, chinese-days, pinyin-pro and the
		//    per-API @googleapis packages): each one is needed for correctness (holiday data,
		//    surname pinyin, Google's typed clients). The rule exists only for n8n Cloud's
		//    "verified" listing, which this self-hosted package does not seek. That is also why
		//    package.json sets "strict": false and this file uses configWithoutCloudSupport.
		files: ['package.json'],
		rules: { '@n8n/community-nodes/no-runtime-dependencies': 'off' },
	},
	{
		// 2. Domain modules are plain TypeScript with no n8n import (see docs/architecture.md):
		//    they throw the package's InputError, which names the row and the field, and the node
		//    adapter turns it into NodeOperationError (nodes/shared/n8n.ts, toNodeError). Adapters
		//    (*.node.ts), n8n helpers and transports keep the rule.
		files: ['nodes/**/*.ts'],
		ignores: ['nodes/**/*.node.ts', 'nodes/shared/n8n.ts', 'nodes/**/transport.ts', 'nodes/**/*.operation.ts'],
		rules: { '@n8n/community-nodes/require-node-api-error': 'off' },
	},
	{
		// 3. Tests, benchmarks and scripts are never shipped to n8n (package.json "files" holds only
		//    dist, workflows and docs): they start n8n and fake servers as child processes, print
		//    figures, and use made-up test secrets. The community-node rules about those apply to
		//    nodes/ and credentials/ only.
		files: ['test/**/*.ts', 'bench/**/*.ts', 'scripts/**/*.ts'],
		rules: {
			'n8n-nodes-base/node-filename-against-convention': 'off',
			'no-console': 'off',
			'@n8n/community-nodes/no-dangerous-functions': 'off',
			'@n8n/community-nodes/no-hardcoded-secrets': 'off',
			'@n8n/community-nodes/require-node-api-error': 'off',
		},
	},
];
