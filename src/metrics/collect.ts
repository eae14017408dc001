// Metrics read when /metrics is scraped, never updated on the frame path: live calls' frame
// counters (plain fields) plus those of ended calls, calls in progress, the call store, and the
// post-call webhook's deliveries.
import { Counter, Gauge } from 'prom-client';
import type { FrameCounts, Metrics } from './metrics.ts';

export interface LiveSource {
  /** Calls whose stream is open. */
  calls(): Iterable<FrameCounts>;
  /** Calls in progress: still hearing <Say> (greeting) or streaming (connected). */
  activeCalls(): { greeting: number; connected: number };
}

/**
 * What the call store offers for metrics (CallStore has these). `lastWriteMs`: how long its last
 * batch took to write; `backlog`: operations queued, not yet written; `lost`: events dropped
 * because the queue was full while the database was down.
 */
export interface StoreMetricsSource {
  readonly backlog: number;
  readonly lastWriteMs: number;
  readonly lost: number;
}

/**
 * A counter that mirrors running totals kept elsewhere (plain fields): read at each scrape.
 * `read` gives one total, or totals by the value of `label`.
 */
export function mirrorCounter(
  metrics: Metrics,
  spec: { name: string; help: string; label?: string },
  read: () => number | Iterable<readonly [string, number]>,
): void {
  const { label } = spec;
  new Counter({
    name: spec.name,
    help: spec.help,
    labelNames: label ? [label] : [],
    registers: [metrics.registry],
    collect() {
      const totals = read();
      this.reset();
      if (typeof totals === 'number') return this.inc(totals);
      for (const [value, n] of totals) this.inc({ [label!]: value }, n);
    },
  });
}

export function registerLive(metrics: Metrics, live: LiveSource): void {
  const registers = [metrics.registry];
  // Ended calls' counts plus the live ones', summed at each scrape (a few hundred calls at most).
  const sum = () => {
    const t = { in: metrics.ended.in, out: metrics.ended.out, held: metrics.ended.held, rejected: new Map(metrics.ended.rejected) };
    for (const call of live.calls()) {
      t.in += call.framesIn;
      t.out += call.framesOut;
      t.held += call.framesHeld;
      for (const [reason, n] of Object.entries(call.record.rejectedFrames)) t.rejected.set(reason, (t.rejected.get(reason) ?? 0) + n);
    }
    return t;
  };
  new Gauge({
    name: 'switchboard_active_calls',
    help: 'Calls in progress: greeting (webhook answered, caller hearing <Say>) and connected (stream started).',
    labelNames: ['state'],
    registers,
    collect() {
      const { greeting, connected } = live.activeCalls();
      this.set({ state: 'greeting' }, greeting);
      this.set({ state: 'connected' }, connected);
    },
  });
  mirrorCounter(
    metrics,
    { name: 'switchboard_frames_total', help: 'Media stream frames: in (every frame Twilio sent), out (agent audio chunks sent to Twilio).', label: 'direction' },
    () => {
      const { in: framesIn, out } = sum();
      return [['in', framesIn], ['out', out]];
    },
  );
  mirrorCounter(metrics, { name: 'switchboard_held_frames_total', help: 'Caller frames held while the Realtime session connected, then sent in order.' }, () => sum().held);
  mirrorCounter(metrics, { name: 'switchboard_rejected_frames_total', help: 'Stream frames refused by the frame guard, by reason.', label: 'reason' }, () => sum().rejected);
}

export function registerStore(metrics: Metrics, store: StoreMetricsSource): void {
  const registers = [metrics.registry];
  new Gauge({ name: 'switchboard_store_backlog', help: 'Call-record writes queued, not yet in the database.', registers, collect() { this.set(store.backlog); } });
  new Gauge({ name: 'switchboard_store_last_write_seconds', help: 'How long the last batch of call-record writes took.', registers, collect() { this.set(store.lastWriteMs / 1000); } });
  mirrorCounter(
    metrics,
    { name: 'switchboard_store_dropped_events_total', help: 'Call-record events dropped because the queue was full while the database was down.' },
    () => store.lost,
  );
}

/** What the post-call webhook offers for metrics (CallEndWebhook has these). */
export interface WebhookMetricsSource {
  readonly stats: { readonly delivered: number; readonly retried: number; readonly gaveUp: number; readonly duplicates: number };
  readonly pending: number;
}

export function registerWebhook(metrics: Metrics, webhook: WebhookMetricsSource): void {
  const registers = [metrics.registry];
  mirrorCounter(
    metrics,
    {
      name: 'switchboard_call_end_webhooks_total',
      help: 'Post-call webhook deliveries by outcome: delivered, gave_up (after its retries), duplicate (a second summary for a CallSid, not sent).',
      label: 'outcome',
    },
    () => {
      const { delivered, gaveUp, duplicates } = webhook.stats;
      return [['delivered', delivered], ['gave_up', gaveUp], ['duplicate', duplicates]];
    },
  );
  mirrorCounter(metrics, { name: 'switchboard_call_end_webhook_retries_total', help: 'Post-call webhook attempts that failed and were retried.' }, () => webhook.stats.retried);
  new Gauge({ name: 'switchboard_call_end_webhooks_pending', help: 'Post-call webhook deliveries not yet finished (retries waiting included).', registers, collect() { this.set(webhook.pending); } });
}
