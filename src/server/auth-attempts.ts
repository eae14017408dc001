// Failed attempts at the admin token, counted per client (client-address.ts): the bearer token on
// /calls and /metrics and the console's login share one budget, so guessing is slow from any one
// address and never locks out another. The check and the count are one synchronous step taken
// once the whole attempt has been read: requests whose bodies arrive late cannot all pass the
// check before any of them is counted. Memory is bounded (an attacker rotating addresses only
// makes the least recent ones forgotten), and so is the log under a flood: the first failure of a
// client per window is logged, the rest are counted (in /metrics, see metrics/access.ts).
import type { Logger } from '../log/logger.ts';

/** Where the token was tried: the bearer-token endpoints, or the console's login form. */
export type AuthEndpoint = 'admin' | 'console';

/** Wrong tokens a client may send per window; then every attempt, right or wrong, waits. */
export const MAX_FAILURES_PER_WINDOW = 10;
export const FAILURE_WINDOW_MS = 60_000;
/** Clients remembered at once; beyond that, the one whose last failure is oldest is forgotten. */
export const MAX_CLIENTS = 10_000;
/** Log lines about failures per window, all clients together; the rest are only counted. */
export const MAX_LOG_LINES_PER_WINDOW = 50;

export type Verdict = { outcome: 'ok' } | { outcome: 'wrong' } | { outcome: 'limited'; retryAfterS: number };

export interface AttemptLimits {
  maxFailures: number;
  windowMs: number;
  maxClients: number;
  maxLogLines: number;
}

interface Client {
  /** Times of the failures still in the window, oldest first (at most maxFailures). */
  failures: number[];
  /** When a line about this client was last logged; failures since then that were not. */
  loggedAt: number;
  notLogged: number;
}

/** Drops the times before `since` from the front of an ascending list. */
function dropBefore(times: number[], since: number): void {
  let old = 0;
  while (old < times.length && times[old]! <= since) old++;
  if (old > 0) times.splice(0, old);
}

export class AuthAttempts {
  /** Wrong tokens, and attempts refused with 429, since start (read by /metrics). */
  readonly failures: Record<AuthEndpoint, number> = { admin: 0, console: 0 };
  readonly refused: Record<AuthEndpoint, number> = { admin: 0, console: 0 };
  /** Ordered by last failure, oldest first: the expired and the forgotten come off the front. */
  readonly #clients = new Map<string, Client>();
  readonly #limits: AttemptLimits;
  #logWindowStart = -Infinity;
  #logLines = 0;

  constructor(
    private readonly log: Logger,
    private readonly now: () => number = Date.now,
    limits: Partial<AttemptLimits> = {},
  ) {
    this.#limits = {
      maxFailures: MAX_FAILURES_PER_WINDOW,
      windowMs: FAILURE_WINDOW_MS,
      maxClients: MAX_CLIENTS,
      maxLogLines: MAX_LOG_LINES_PER_WINDOW,
      ...limits,
    };
  }

  /** Clients with failures remembered now (bounded by maxClients). */
  get clients(): number {
    return this.#clients.size;
  }

  /**
   * One attempt by `client`, whose token was `correct` (compared in constant time before this
   * call, whatever the verdict). A client at its limit is refused even the right token: otherwise
   * the answer would still tell a guesser when it had guessed right.
   */
  attempt(client: string, endpoint: AuthEndpoint, correct: boolean): Verdict {
    const now = this.now();
    const { maxFailures, windowMs } = this.#limits;
    const known = this.#clients.get(client);
    if (known) dropBefore(known.failures, now - windowMs);
    if (known && known.failures.length >= maxFailures) {
      this.refused[endpoint]++;
      return { outcome: 'limited', retryAfterS: Math.max(1, Math.ceil((known.failures[0]! + windowMs - now) / 1000)) };
    }
    if (correct) return { outcome: 'ok' };
    this.failures[endpoint]++;
    const entry = known ?? { failures: [], loggedAt: -Infinity, notLogged: 0 };
    entry.failures.push(now);
    // Re-inserted, so the map stays ordered by last failure.
    this.#clients.delete(client);
    this.#clients.set(client, entry);
    this.#forget(now);
    this.#report(client, endpoint, entry, now);
    return { outcome: 'wrong' };
  }

  /** Clients whose failures have all expired, then the least recent beyond maxClients. */
  #forget(now: number): void {
    const { maxClients, windowMs } = this.#limits;
    for (const [key, client] of this.#clients) {
      if (this.#clients.size <= maxClients && client.failures.at(-1)! > now - windowMs) break;
      this.#clients.delete(key);
    }
  }

  /** The first failure of a client per window is logged, and the one that reaches its limit. */
  #report(client: string, endpoint: AuthEndpoint, entry: Client, now: number): void {
    const { maxFailures, windowMs, maxLogLines } = this.#limits;
    const limited = entry.failures.length >= maxFailures;
    if (now - entry.loggedAt < windowMs && !limited) {
      entry.notLogged++;
      return;
    }
    if (now - this.#logWindowStart >= windowMs) {
      this.#logWindowStart = now;
      this.#logLines = 0;
    }
    if (this.#logLines >= maxLogLines) {
      entry.notLogged++;
      if (this.#logLines++ === maxLogLines) this.log.warn('wrong admin tokens: too many clients to log each; the rest of this minute is only counted in /metrics');
      return;
    }
    this.#logLines++;
    const fields = { client, endpoint, ...(entry.notLogged > 0 ? { notLogged: entry.notLogged } : {}) };
    entry.loggedAt = now;
    entry.notLogged = 0;
    if (limited) this.log.warn('wrong admin tokens: client refused for a while', { ...fields, failures: entry.failures.length, seconds: Math.ceil(windowMs / 1000) });
    else this.log.warn('wrong admin token', fields);
  }
}
