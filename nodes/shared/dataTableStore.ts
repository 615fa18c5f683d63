/**
 * A RowStore (deliveryLog.ts) on an n8n Data Table, through the Data Table helpers n8n gives every
 * node (the same service n8n's own Data Table node uses), so every queue-mode worker reads and
 * writes the same rows. The table is found by its exact name (n8n's own lookup by name is a
 * "contains" match) and created with the given columns when missing.
 */
import { NodeOperationError, type IDataObject, type IExecuteFunctions } from 'n8n-workflow';
import type { RowFilter, RowStore, StoredRow } from './deliveryLog';

type Proxy = NonNullable<Awaited<ReturnType<NonNullable<IExecuteFunctions['helpers']['getDataTableProxy']>>>>;

const PAGE = 1000;

export async function dataTableStore(
	ctx: IExecuteFunctions,
	name: string,
	columns: readonly string[],
): Promise<RowStore> {
	const helpers = ctx.helpers;
	if (!helpers.getDataTableProxy || !helpers.getDataTableAggregateProxy) {
		throw new NodeOperationError(ctx.getNode(), 'n8n Data Tables are not available in this n8n', {
			description: 'The delivery log needs n8n 2.x with the Data Tables module enabled, or leave the Delivery Log option empty.',
		});
	}
	const tableName = name.trim();
	if (!/^[\w.-]{1,60}$/.test(tableName)) {
		throw new NodeOperationError(ctx.getNode(), `The table name "${tableName.slice(0, 60)}" is not valid`, {
			description: 'Use letters, digits, "_", "-" or ".", for example campus_delivery_claims',
		});
	}
	const aggregate = await helpers.getDataTableAggregateProxy();
	const found = await aggregate.getManyAndCount({ filter: { name: tableName.toLowerCase() }, take: 50 });
	let id = found.data.find((t) => t.name === tableName)?.id;
	if (!id) {
		const created = await aggregate.createDataTable({
			name: tableName,
			columns: columns.map((c) => ({ name: c, type: 'string' as const })),
		});
		id = created.id;
	}
	const proxy: Proxy = await helpers.getDataTableProxy(id);
	return {
		async insert(rows) {
			for (let i = 0; i < rows.length; i += PAGE) {
				await proxy.insertRows(rows.slice(i, i + PAGE), 'count');
			}
		},
		async find(filters: RowFilter[]) {
			const out: StoredRow[] = [];
			for (let skip = 0; ; skip += PAGE) {
				const page = await proxy.getManyRowsAndCount({
					filter: { type: 'and', filters: filters.map((f) => ({ columnName: f.column, condition: f.condition, value: f.value })) },
					take: PAGE,
					skip,
				});
				for (const r of page.data) out.push({ ...(r as IDataObject), id: Number(r.id) } as StoredRow);
				if (page.data.length < PAGE) break;
			}
			return out;
		},
	};
}
