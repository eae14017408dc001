// Delivers call summaries to `on_call_end.url`: signed, each attempt bounded by `timeout_ms`,
// retried with backoff `retries` times, then given up (logged, counted). Never on the call path:
// `send` returns at once and never throws. At most one delivery per CallSid. Each delivery keeps
// the `on_call_end` it was sent with, so a reload changes where later calls' summaries go.
import { randomUUID } from 'node:crypto';
import pkg from '../../package.json' with { type: 'json' };
import type { CallEndWebhookConfig } from '../config/schema/notify-schema.ts';
import type { Logger } from '../log/logger.ts';
import type { CallSummary } from './call-summary.ts';
import { DELIVERY_HEADER, signSummary, SIGNATURE_HEADER, TIMESTAMP_HEADER } from './signature.ts';

/** 1 s, 2 s, 4 s, … at most 30 s: a receiver that is restarting gets time to come back. */
export const defaultRetryDelayMs = (retry: number): number => Math.min(1000 * 2 ** (retry - 1), 30_000);
/** CallSids remembered against a second delivery; far more than calls end in a retry window. */
const REMEMBERED_CALLS = 10_000;

export interface WebhookTimings {
  /** Wait before retry n (1-based); default defaultRetryDelayMs. */
  retryDelayMs?: (retry: number) => number;
  /** Clock for the timestamp header, ms since the epoch; default Date.now. */
  now?: () => number;
}

type Attempt = { delivered: true; status: number } | { delivered: false; retry: boolean; why: string };

export class CallEndWebhook {
  /** Running totals, for the log and /metrics. */
  readonly stats = { delivered: 0, retried: 0, gaveUp: 0, duplicates: 0 };
  readonly #log: Logger;
  readonly #retryDelayMs: (retry: number) => number;
  readonly #now: () => number;
  readonly #pending = new Set<Promise<void>>();
  readonly #sent = new Set<string>();
  readonly #stopped = new AbortController();

  constructor(log: Logger, timings: WebhookTimings = {}) {
    this.#log = log;
    this.#retryDelayMs = timings.retryDelayMs ?? defaultRetryDelayMs;
    this.#now = timings.now ?? Date.now;
  }

  /** Deliveries not yet finished (retries waiting included). */
  get pending(): number {
    return this.#pending.size;
  }

  /** Queues the summary for `config`'s receiver and returns; the delivery runs on its own. */
  send(config: CallEndWebhookConfig, summary: CallSummary): void {
    const callSid = summary.call_sid;
    try {
      if (this.#sent.has(callSid)) {
        this.stats.duplicates++;
        this.#log.warn('post-call webhook already sent for this call; not sending it again', { callSid });
        return;
      }
      if (this.#stopped.signal.aborted) return this.#giveUp(callSid, 0, 'the server is stopping');
      const body = JSON.stringify(summary);
      this.#sent.add(callSid);
      if (this.#sent.size > REMEMBERED_CALLS) this.#sent.delete(this.#sent.values().next().value!);
      const delivery = this.#deliver(config, callSid, body)
        .catch((error: unknown) => this.#log.error('post-call webhook failed unexpectedly', { callSid, error: (error as Error).name }))
        .finally(() => this.#pending.delete(delivery));
      this.#pending.add(delivery);
    } catch (error) {
      // A bug here must cost the summary, never the call that ended.
      this.#log.error('post-call webhook not queued', { callSid, error: (error as Error).name });
    }
  }

  /** Resolves when nothing is pending, or at `deadline` (ms since the epoch), whichever is first. */
  async settle(deadline: number): Promise<void> {
    while (this.#pending.size > 0 && Date.now() < deadline) {
      let timer: Timer | undefined;
      const late = new Promise<void>((resolve) => (timer = setTimeout(resolve, deadline - Date.now())));
      await Promise.race([Promise.allSettled([...this.#pending]), late]);
      clearTimeout(timer);
    }
  }

  /** Ends every pending delivery now (each is logged and counted as given up); later sends too. */
  stop(): void {
    this.#stopped.abort();
  }

  async #deliver(config: CallEndWebhookConfig, callSid: string, body: string): Promise<void> {
    const id = randomUUID();
    for (let attempt = 1; ; attempt++) {
      const result = await this.#attempt(config, id, body);
      if (result.delivered) {
        this.stats.delivered++;
        this.#log.info('post-call webhook delivered', { callSid, status: result.status, attempts: attempt });
        return;
      }
      if (!result.retry || attempt > config.retries) return this.#giveUp(callSid, attempt, result.why);
      const delayMs = this.#retryDelayMs(attempt);
      this.stats.retried++;
      this.#log.warn('post-call webhook failed; will retry', { callSid, attempt, error: result.why, retryInMs: delayMs });
      await this.#wait(delayMs);
      if (this.#stopped.signal.aborted) return this.#giveUp(callSid, attempt, 'the server is stopping');
    }
  }

  async #attempt(config: CallEndWebhookConfig, id: string, body: string): Promise<Attempt> {
    const { url, secret, headers: extra, timeout_ms } = config;
    const timestamp = String(Math.floor(this.#now() / 1000));
    // Ours last: a configured header cannot break the signature or the content type.
    const headers = new Headers(extra);
    headers.set('Content-Type', 'application/json');
    headers.set('User-Agent', `switchboard/${pkg.version}`);
    headers.set(TIMESTAMP_HEADER, timestamp);
    headers.set(SIGNATURE_HEADER, signSummary(secret, timestamp, body));
    headers.set(DELIVERY_HEADER, id);
    const signal = AbortSignal.any([AbortSignal.timeout(timeout_ms), this.#stopped.signal]);
    try {
      // A redirect is not followed: the signed summary goes to the configured URL or nowhere.
      const response = await fetch(url, { method: 'POST', headers, body, signal, redirect: 'manual' });
      await response.body?.cancel();
      if (response.ok) return { delivered: true, status: response.status };
      const retry = response.status === 408 || response.status === 429 || response.status >= 500;
      return { delivered: false, retry, why: `HTTP ${response.status}` };
    } catch (error) {
      if (this.#stopped.signal.aborted) return { delivered: false, retry: false, why: 'the server is stopping' };
      if ((error as Error).name === 'TimeoutError') return { delivered: false, retry: true, why: `no answer within ${timeout_ms} ms` };
      // The code only: a fetch error's message may quote the URL, which may hold a token.
      const code = (error as { code?: unknown }).code;
      return { delivered: false, retry: true, why: typeof code === 'string' ? `connection failed (${code})` : 'connection failed' };
    }
  }

  #giveUp(callSid: string, attempts: number, why: string): void {
    this.stats.gaveUp++;
    this.#log.warn('post-call webhook gave up', { callSid, attempts, error: why, gaveUpSinceStart: this.stats.gaveUp });
  }

  /** Sleeps `ms`, or less if stopped meanwhile. */
  #wait(ms: number): Promise<void> {
    const signal = this.#stopped.signal;
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      signal.addEventListener('abort', done, { once: true });
    });
  }
}
