/**
 * Supply Stock: reading the open orders (an open order blocks a new trigger for its item).
 * Pure TypeScript: no n8n import.
 */
import { InputError, problemFrom, type RowProblem } from '../shared/errors';
import { isEmptyRow, type Row } from '../shared/rows';
import { colName, columnsFor, excerpt, firstNonEmpty, itemKey, nonNegative, type SupplyColumnMap } from './supplyColumns';
import type { Parsed } from './supplyInventory';

export interface OpenOrder {
	row: number;
	key: string;
	/** The item as written, and the column it is in (for messages). */
	item: string;
	itemColumn?: string;
	quantity: number;
	orderId: string;
}

/** Statuses that close an order (received, or never going to arrive). Compared lower-case. */
export const CLOSED_STATUSES = [
	'received',
	'cancelled',
	'canceled',
	'declined',
	'rejected',
	'expired',
	'已到货',
	'已收货',
	'已入库',
	'已取消',
	'已拒绝',
	'未批准',
	'已过期',
];

/** Statuses of an order still to arrive. A blank status counts as open. */
export const OPEN_STATUSES = [
	'ordered',
	'open',
	'pending',
	'approved',
	'in transit',
	'已下单',
	'待审批',
	'已批准',
	'待到货',
	'在途',
];

/**
 * Orders: item, quantity, status, order id. Only open orders are returned: an open order blocks a
 * new trigger for its item until it is received. An unknown status is an error on its row, so
 * a typo cannot silently re-open buying. A missing required column throws: the whole table fails.
 */
export function parseOrders(rows: Row[], map: SupplyColumnMap): Parsed<OpenOrder> {
	const out: OpenOrder[] = [];
	const problems: RowProblem[] = [];
	const sample = firstNonEmpty(rows);
	if (!sample) return { rows: out, problems };
	const cols = columnsFor(map, ['item', 'quantity', 'status', 'orderId'], 'open-order rows');
	cols.resolve(sample, ['item', 'status']);
	const itemColumn = cols.column('item');
	const statusCol = colName(cols, map, 'status');
	rows.forEach((r, i) => {
		if (isEmptyRow(r)) return;
		try {
			const item = cols.requiredText(r, 'item', i);
			const status = cols.text(r, 'status').toLowerCase();
			if (CLOSED_STATUSES.includes(status)) return;
			if (status && !OPEN_STATUSES.includes(status)) {
				throw new InputError(`Unknown order status "${excerpt(cols.text(r, 'status'))}"`, {
					row: i,
					field: statusCol,
					hint: `Use ${OPEN_STATUSES.join(', ')} for an open order, ${CLOSED_STATUSES.join(', ')} for a closed one`,
				});
			}
			const quantity = nonNegative(cols.raw(r, 'quantity'), colName(cols, map, 'quantity'), i) ?? 0;
			out.push({ row: i, key: itemKey(item), item, itemColumn, quantity, orderId: cols.text(r, 'orderId') });
		} catch (e) {
			problems.push(problemFrom(e, i));
		}
	});
	return { rows: out, problems };
}
