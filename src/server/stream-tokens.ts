// Per-call, single-use, short-lived stream tokens. A captured upgrade signature is valid forever
// (what Twilio signs never changes), so the webhook also mints a token bound to the CallSid and
// passes it as a <Parameter>; the stream must present it at `start` before any upstream work.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export const STREAM_TOKEN_TTL_MS = 120_000;

export type Redemption = 'ok' | 'missing' | 'invalid' | 'expired' | 'reused';

export class StreamTokens {
  readonly #secret: Uint8Array;
  readonly #ttlMs: number;
  readonly #now: () => number;
  /** Minted and not yet redeemed, by CallSid: each is a call on its way (counts toward capacity). */
  readonly #pending = new Map<string, number>();
  /** Redeemed tokens until they expire, so a replay is told apart from a forgery. */
  readonly #spent = new Map<string, number>();

  constructor(options: { secret?: Uint8Array; ttlMs?: number; now?: () => number } = {}) {
    this.#secret = options.secret ?? randomBytes(32);
    this.#ttlMs = options.ttlMs ?? STREAM_TOKEN_TTL_MS;
    this.#now = options.now ?? Date.now;
  }

  /** Calls whose webhook was answered but whose stream has not started yet. */
  get pending(): number {
    this.#purge();
    return this.#pending.size;
  }

  /** Calls on their way (webhook answered, stream not started), with when each was answered. */
  *waiting(): Iterable<{ callSid: string; since: number }> {
    this.#purge();
    for (const [callSid, expires] of this.#pending) yield { callSid, since: expires - this.#ttlMs };
  }

  /** The call is over before its stream started: it no longer holds a line. */
  revoke(callSid: string): boolean {
    return this.#pending.delete(callSid);
  }

  /** `bound`: what else the token vouches for (the stream's other parameters), so none can be swapped. */
  mint(callSid: string, bound = ''): string {
    this.#purge();
    const expires = this.#now() + this.#ttlMs;
    // Re-inserted, not updated, so that insertion order stays expiry order (see #purge).
    this.#pending.delete(callSid);
    this.#pending.set(callSid, expires);
    return `${expires}.${this.#mac(callSid, expires, bound)}`;
  }

  redeem(callSid: string, token: string | undefined, bound = ''): Redemption {
    this.#purge();
    if (!token) return 'missing';
    const [expiresText = '', mac = ''] = token.split('.');
    const expires = Number(expiresText);
    if (!Number.isSafeInteger(expires) || !this.#sameMac(this.#mac(callSid, expires, bound), mac)) return 'invalid';
    if (this.#spent.has(token)) return 'reused';
    if (expires <= this.#now()) return 'expired';
    this.#spent.set(token, expires);
    this.#pending.delete(callSid);
    return 'ok';
  }

  #mac(callSid: string, expires: number, bound: string): string {
    return createHmac('sha256', this.#secret).update(`${callSid}.${expires}.${bound}`).digest('base64url');
  }

  #sameMac(expected: string, given: string): boolean {
    const a = Buffer.from(expected);
    const b = Buffer.from(given);
    return a.length === b.length && timingSafeEqual(a, b);
  }

  #purge(): void {
    const now = this.#now();
    for (const map of [this.#pending, this.#spent]) {
      // Insertion order is (nearly) expiry order: minted with a fixed TTL, spent soon after. Stop
      // at the first live entry; an out-of-order one only waits for those before it.
      for (const [key, expires] of map) {
        if (expires > now) break;
        map.delete(key);
      }
    }
  }
}
