/**
 * What a group message must never show: mobile and landline numbers, ID card numbers,
 * temperatures, and any other long run of digits. Pure TypeScript: no n8n import.
 */
const HIDDEN = '***';

/**
 * Replaces private numbers in a text with "***". Links (a personal form link carries an expiry
 * and a signature), dates (2026-03-10) and clock times (09:00) are kept.
 */
export function scrubPrivate(text: string): string {
	// Every rule below needs two digits or more: most names and headings have fewer.
	if (!/\d\D*\d/.test(text)) return text;
	const kept: string[] = [];
	const shielded = text.replace(/https?:\/\/[^\s<>"'）)]+|(?<!\d)\d{4}-\d{1,2}-\d{1,2}(?!\d)|(?<![\d.])\d{1,2}:\d{2}(?!\d)/g, (m) => {
		kept.push(m);
		return `\uE000${kept.length - 1}\uE000`;
	});
	return scrubDigits(shielded).replace(/\uE000(\d+)\uE000/g, (_, i: string) => kept[Number(i)]);
}

function scrubDigits(text: string): string {
	return (
		text
			// ID card numbers (18 with a possible X check digit, or the old 15)
			.replace(/(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])/g, HIDDEN)
			// mobile numbers, also written 138 0013 8000 or 138-0013-8000, with an optional +86
			.replace(/(?:\+?86[\s-]?)?(?<!\d)1[3-9]\d[\s-]?\d{4}[\s-]?\d{4}(?!\d)/g, HIDDEN)
			// temperatures with a unit: 37.5℃, 37.5 °C, 38度
			.replace(/\d{2}(?:[.,]\d{1,2})?\s*(?:℃|°\s*[CcF]?|度)/g, HIDDEN)
			// body temperatures without a unit: 35.0 to 42.9
			.replace(/(?<![\d.])(?:3[5-9]|4[0-2])[.,]\d{1,2}(?![\d.])/g, HIDDEN)
			// any other run of 7 or more digits (landlines, student and ID numbers)
			.replace(/\d[\d\s-]{5,}\d/g, (m) => (m.replace(/\D/g, '').length >= 7 ? HIDDEN : m))
	);
}
