/**
 * Purpose-bound signed links. n8n's forms cannot tell who opens them, so a form that acts for a
 * person is opened from a link made for that person: its query parameters fill hidden fields and
 * carry an HMAC-SHA256 signature over all of them. A link binds
 * - the purpose: which form or approval it opens ("checkin", "leave-approval", ...);
 * - the person it was made for, and where it matters the date and slot, or the request;
 * - an expiry (a bounded validity: never "forever");
 * and each purpose signs with its own key, derived from the one secret (HMAC with a purpose
 * label), so a link made for one form fails on another. Comparison is constant-time.
 *
 * Rotating the secret: sign with the new secret and keep the old one as `previous` with an end
 * date (`previousUntil`); until then links signed with either verify, afterwards only the new.
 * Set the end date to the longest validity of the links already sent (31 days at most), or to
 * now if the old secret leaked.
 *
 * Single use: a link that changes state has a use key (`use|<purpose>|<request or nonce, or
 * person|date|slot>`); the workflow records it in a Data Table after the first use and passes
 * `used: true` on the next, which is refused. Pure TypeScript: no n8n import (Node's crypto only).
 *
 * This module is the public face; each part is in its own file:
 * - linkClaims.ts: what a link binds, its query parameter names, purposes, validity, use keys;
 * - linkSecrets.ts: the secret's floor and the rotation rules;
 * - linkSign.ts: the key per purpose, the signed text, issuing a link and its URL;
 * - linkVerify.ts: checking a presented link, with the reason for every refusal.
 * The n8n side (parameters, credentials, items) is in linkParams.ts.
 */
export * from './linkClaims';
export * from './linkSecrets';
export * from './linkSign';
export * from './linkVerify';
