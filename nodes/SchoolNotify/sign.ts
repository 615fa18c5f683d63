/**
 * Robot request signing, pure TypeScript (no n8n import). The two schemes are the same HMAC
 * with key and message swapped, which is the classic mistake: keep them apart and test both
 * against known vectors (test/unit/notifySign.test.ts).
 */
import { createHmac } from 'crypto';

/**
 * DingTalk custom robot: Base64(HMAC-SHA256(key = secret, message = timestamp + "\n" + secret)),
 * timestamp in milliseconds. The value returned is NOT URL-encoded: pass it as a query
 * parameter and let the HTTP client encode it once (encoding it here too breaks the signature).
 */
export function dingTalkSign(secret: string, timestampMs: number | string): string {
	return createHmac('sha256', secret).update(`${timestampMs}\n${secret}`, 'utf8').digest('base64');
}

/**
 * Feishu custom bot: Base64(HMAC-SHA256(key = timestamp + "\n" + secret, message = empty)),
 * timestamp in seconds. Sent in the JSON body as `timestamp` (a string) and `sign`.
 */
export function feishuSign(secret: string, timestampSec: number | string): string {
	return createHmac('sha256', `${timestampSec}\n${secret}`).update('', 'utf8').digest('base64');
}

/** DingTalk's query parameters for a signed request (timestamp in ms). */
export function dingTalkSignedQuery(secret: string, nowMs: number): { timestamp: string; sign: string } {
	const timestamp = String(Math.floor(nowMs));
	return { timestamp, sign: dingTalkSign(secret, timestamp) };
}

/** Feishu's body fields for a signed request (timestamp in s). */
export function feishuSignedFields(secret: string, nowMs: number): { timestamp: string; sign: string } {
	const timestamp = String(Math.floor(nowMs / 1000));
	return { timestamp, sign: feishuSign(secret, timestamp) };
}

/** Removes a trailing slash from a base URL the user typed. */
export function trimBaseUrl(url: unknown, fallback: string): string {
	const s = String(url ?? '').trim() || fallback;
	return s.replace(/\/+$/, '');
}
