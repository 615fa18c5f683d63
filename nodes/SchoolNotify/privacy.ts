/**
 * What a group message must never show: phone numbers, ID card numbers, temperatures and other
 * long runs of digits; and names masked on request. Pure TypeScript: no n8n import.
 */

/** 张三 -> 张*, 张小三 -> 张*三, 欧阳娜娜 -> 欧**娜. */
export function maskName(name: string): string {
	const chars = [...name.trim()];
	if (chars.length <= 1) return chars.join('');
	if (chars.length === 2) return `${chars[0]}*`;
	return `${chars[0]}${'*'.repeat(chars.length - 2)}${chars[chars.length - 1]}`;
}

const HIDDEN = '***';

/**
 * Removes what a digest must never show: mobile and landline numbers, ID card numbers,
 * temperatures, and any other long run of digits.
 */
export function scrubPrivate(text: string): string {
	// Every rule below needs two digits or more: most names and headings have fewer.
	if (!/\d\D*\d/.test(text)) return text;
	// Links (a personal form link carries an expiry and a signature), dates (2026-03-10) and clock
	// times (09:00) are not private: keep them out of the digit rules.
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
