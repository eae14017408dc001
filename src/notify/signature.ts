// The post-call webhook's signature: HMAC-SHA256, keyed by `on_call_end.secret`, over
// `TIMESTAMP.BODY`. The timestamp is signed so that a captured request cannot be replayed later
// (a receiver refuses old timestamps); it is new on every attempt, so a retry is never stale.
import { createHmac } from 'node:crypto';

export const SIGNATURE_HEADER = 'X-Switchboard-Signature';
export const TIMESTAMP_HEADER = 'X-Switchboard-Timestamp';
/** The same on every attempt of one delivery: a receiver can drop a retry it already has. */
export const DELIVERY_HEADER = 'X-Switchboard-Delivery';

/** `v1=` + hex; the version leaves room for another scheme without breaking receivers. */
export function signSummary(secret: string, timestamp: string, body: string): string {
  return `v1=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

