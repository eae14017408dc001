// What a server keeps about the outbound calls it places: the calls ringing (they hold lines),
// the dial-rate windows, and its refusals by reason (for /metrics). One per server, in its context.
import type { Logger } from '../log/logger.ts';
import { DialRate, type DialCountStore } from './dial-rate.ts';
import { PlacedCalls } from './placed-calls.ts';

/**
 * Why POST /calls (or `switchboard call`) placed no call: `destination`, outside the allowed
 * prefixes; `high_risk`, a premium or high-fraud range not listed explicitly; `rate_minute` and
 * `rate_day`, over outbound.max_per_minute or max_per_day; `capacity`, every line in use.
 */
export type RefusalReason = 'destination' | 'high_risk' | 'rate_minute' | 'rate_day' | 'capacity';
export const REFUSAL_REASONS: readonly RefusalReason[] = ['destination', 'high_risk', 'rate_minute', 'rate_day', 'capacity'];

export class Dialler {
  readonly placed: PlacedCalls;
  readonly rate: DialRate;
  /** Refusals since start, by reason. */
  readonly refused = new Map<RefusalReason, number>(REFUSAL_REASONS.map((reason) => [reason, 0]));
  /** Calls Twilio accepted. */
  placedTotal = 0;

  /** `now`: milliseconds since the epoch, for the rate windows and ring timeouts (tests turn it). */
  constructor(options: { store?: DialCountStore; log: Logger; now?: () => number }) {
    this.placed = new PlacedCalls({ now: options.now });
    this.rate = new DialRate(options);
  }

  refuse(reason: RefusalReason): void {
    this.refused.set(reason, (this.refused.get(reason) ?? 0) + 1);
  }
}
