/**
 * Generators of bad and odd input for the property suite: missing fields, wrong types, huge
 * strings, lone surrogates, markup, numbers written as text, empty inputs and duplicate rows.
 * Rows start from a node's own sample rows (so that generated cases reach past the first
 * column check) and are mutated key by key.
 */
import fc from 'fast-check';
import type { IDataObject } from 'n8n-workflow';

/** One megabyte of text, with a CJK character at each end (not a one-byte-per-char shortcut). */
export const HUGE = `中${'x'.repeat(1 << 20)}文`;

/** Odd strings, each chosen because code has tripped on its kind before. */
export const ODD_STRINGS = [
	'',
	' ',
	'\uD800', // lone high surrogate
	'a\uDC00b', // lone low surrogate inside text
	'𠀀𠮷', // outside the BMP
	'<script>alert(1)</script>',
	'**bold** [link](https://example.edu) <@all> @所有人',
	'{{ $json.name }}',
	'=1+1',
	'null',
	'undefined',
	'NaN',
	'１２３', // full-width digits
	' 36.5 ',
	'1,500',
	'-0',
	'1e309',
	'0x1F',
	'2026-02-30',
	'2026-03-02T25:00',
	'9999-12-31',
	'0001-01-01',
	'2026-03-02 08:30',
	'\u0000',
	'\u202Eevil', // right-to-left override
	'a\r\nb',
	'%E0%A4%A', // a malformed percent escape
	'constructor',
	'__proto__',
];

/** A value of any JSON-ish type a table row might hold, oddly. */
export const oddValue: fc.Arbitrary<unknown> = fc.oneof(
	{ weight: 4, arbitrary: fc.constantFrom<unknown>(...ODD_STRINGS) },
	{ weight: 1, arbitrary: fc.constant(HUGE) },
	{ weight: 1, arbitrary: fc.constantFrom<unknown>(null, true, false, 0, -1, 1.5, 1e21, -1e9) },
	{ weight: 1, arbitrary: fc.double() },
	{ weight: 1, arbitrary: fc.integer() },
	{ weight: 2, arbitrary: fc.string({ maxLength: 12 }) },
	{ weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 6 }) },
	{ weight: 1, arbitrary: fc.array(fc.string({ maxLength: 4 }), { maxLength: 3 }) },
	{ weight: 1, arbitrary: fc.object({ maxDepth: 1, maxKeys: 2 }) },
);

type Mutation = { kind: 'keep' } | { kind: 'drop' } | { kind: 'text' } | { kind: 'set'; value: unknown };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
	{ weight: 5, arbitrary: fc.constant<Mutation>({ kind: 'keep' }) },
	{ weight: 1, arbitrary: fc.constant<Mutation>({ kind: 'drop' }) },
	{ weight: 1, arbitrary: fc.constant<Mutation>({ kind: 'text' }) },
	{ weight: 2, arbitrary: oddValue.map<Mutation>((value) => ({ kind: 'set', value })) },
);

function apply(row: IDataObject, changes: Mutation[], extra: Array<[string, unknown]>): IDataObject {
	const out: IDataObject = {};
	Object.keys(row).forEach((key, k) => {
		const m = changes[k] ?? { kind: 'keep' };
		if (m.kind === 'drop') return;
		if (m.kind === 'keep') out[key] = row[key];
		else if (m.kind === 'text') out[key] = typeof row[key] === 'string' ? ` ${row[key] as string} ` : String(row[key]);
		else out[key] = m.value as IDataObject[string];
	});
	for (const [k, v] of extra) out[k] = v as IDataObject[string];
	return out;
}

/** A sample row changed key by key: kept, dropped, written as text, or replaced by an odd value. */
export function mutatedRow(samples: IDataObject[]): fc.Arbitrary<IDataObject> {
	const maxKeys = Math.max(1, ...samples.map((s) => Object.keys(s).length));
	return fc
		.tuple(
			fc.constantFrom(...samples),
			fc.array(mutation, { minLength: maxKeys, maxLength: maxKeys }),
			fc.array(fc.tuple(fc.constantFrom<string>('extra', '备注', '', ' ', 'id', '__proto__'), oddValue), { maxLength: 1 }),
		)
		.map(([row, changes, extra]) => apply(row, changes, extra));
}

/** One row: a sample as is, a mutated one, an empty one, or one of random keys. */
export function row(samples: IDataObject[]): fc.Arbitrary<IDataObject> {
	if (!samples.length) return fc.dictionary(fc.string({ maxLength: 6 }), oddValue as fc.Arbitrary<never>, { maxKeys: 3 });
	return fc.oneof(
		{ weight: 3, arbitrary: fc.constantFrom(...samples) },
		{ weight: 5, arbitrary: mutatedRow(samples) },
		{ weight: 1, arbitrary: fc.constant<IDataObject>({}) },
		{ weight: 1, arbitrary: fc.dictionary(fc.string({ maxLength: 6 }), oddValue as fc.Arbitrary<never>, { maxKeys: 3 }) },
	);
}

/** An input: empty, a few rows, or one row repeated (duplicates). */
export function input(samples: IDataObject[], maxRows = 6): fc.Arbitrary<IDataObject[]> {
	return fc.oneof(
		{ weight: 1, arbitrary: fc.constant<IDataObject[]>([]) },
		{ weight: 6, arbitrary: fc.array(row(samples), { maxLength: maxRows }) },
		{ weight: 1, arbitrary: fc.tuple(row(samples), fc.integer({ min: 2, max: 4 })).map(([r, n]) => Array.from({ length: n }, () => ({ ...r }))) },
	);
}
