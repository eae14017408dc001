// outbound.max_per_minute and max_per_day: how many outbound calls may be placed per clock minute
// and per day (UTC), so that whoever can place calls (a leaked admin token, a runaway script)
// can run up minutes, not days, of a bill. Counted in the call store when there is one, with one
// atomic upsert per window, so every instance (and `switchboard call`) sharing a PostgreSQL or
// SQLite store shares the cap; counted in memory, per instance, without a store or while it does
// not answer.
import { errorMessage, type Logger } from '../log/logger.ts';
import { describeStoreUrl } from '../store/store.ts';

export const MINUTE_MS = 60_000;
export const DAY_MS = 86_400_000;
/** A count the store has not returned by then is taken in memory (a dropped network hangs, it does not fail). */
export const COUNT_TIMEOUT_MS = 2000;

/** What CallStore offers for counting (countDial). */
export interface DialCountStore {
  countDial(windowKey: string, expiresAt: number): Promise<number>;
}

export interface DialLimits {
  max_per_minute: number;
  max_per_day: number;
}

export interface RateRefusal {
  reason: 'rate_minute' | 'rate_day';
  /** Until the window turns (Retry-After). */
  retryAfterSeconds: number;
  message: string;
}

interface Window {
  key: string;
  endsAt: number;
}

/** The clock minute and the UTC day `now` falls in, keyed as the store keeps them. */
export function dialWindows(now: number): { minute: Window; day: Window } {
  const minute = Math.floor(now / MINUTE_MS);
  const day = Math.floor(now / DAY_MS);
  return { minute: { key: `minute:${minute}`, endsAt: (minute + 1) * MINUTE_MS }, day: { key: `day:${day}`, endsAt: (day + 1) * DAY_MS } };
}

export class DialRate {
  readonly #store: DialCountStore | undefined;
  readonly #log: Logger;
  readonly #now: () => number;
  readonly #timeoutMs: number;
  /** Counts by window when there is no store, or it does not answer: this instance's only. */
  readonly #memory = new Map<string, { n: number; endsAt: number }>();
  #storeFailing = false;

  constructor(options: { store?: DialCountStore; log: Logger; now?: () => number; timeoutMs?: number }) {
    this.#store = options.store;
    this.#log = options.log;
    this.#now = options.now ?? Date.now;
    this.#timeoutMs = options.timeoutMs ?? COUNT_TIMEOUT_MS;
  }

  /**
   * Counts one call about to be placed, or says which cap it is over. The minute comes first: a
   * call refused there is not counted against the day, so a burst of refused requests does not
   * use up the day's calls.
   */
  async take(limits: DialLimits): Promise<RateRefusal | undefined> {
    const now = this.#now();
    const { minute, day } = dialWindows(now);
    const retryAfter = (window: Window) => Math.max(1, Math.ceil((window.endsAt - now) / 1000));
    if ((await this.#count(minute, now)) > limits.max_per_minute) {
      const seconds = retryAfter(minute);
      return { reason: 'rate_minute', retryAfterSeconds: seconds, message: `refused: ${limits.max_per_minute} calls placed this minute already (outbound.max_per_minute); try again in ${seconds} s` };
    }
    if ((await this.#count(day, now)) > limits.max_per_day) {
      return {
        reason: 'rate_day',
        retryAfterSeconds: retryAfter(day),
        message: `refused: ${limits.max_per_day} calls placed today already (outbound.max_per_day, days in UTC); try again after 00:00 UTC`,
      };
    }
    return undefined;
  }

  /** The window's count with this call in it. */
  async #count(window: Window, now: number): Promise<number> {
    if (this.#store) {
      let timer: Timer | undefined;
      try {
        const timeout = new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error(`no answer within ${this.#timeoutMs} ms`)), this.#timeoutMs);
        });
        const n = await Promise.race([this.#store.countDial(window.key, window.endsAt), timeout]);
        if (this.#storeFailing) this.#log.info('outbound calls counted in the call store again');
        this.#storeFailing = false;
        return n;
      } catch (error) {
        if (!this.#storeFailing) {
          this.#log.warn('call store unavailable: outbound calls are counted in memory, by this instance only, meanwhile', { error: describeStoreUrl(errorMessage(error)) });
        }
        this.#storeFailing = true;
      } finally {
        clearTimeout(timer);
      }
    }
    for (const [key, counted] of this.#memory) if (counted.endsAt <= now) this.#memory.delete(key);
    const counted = this.#memory.get(window.key) ?? { n: 0, endsAt: window.endsAt };
    counted.n++;
    this.#memory.set(window.key, counted);
    return counted.n;
  }
}
