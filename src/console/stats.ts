// GET /console/api/stats: the last 24 hours at a glance, from the store: calls per hour by end
// reason, and how long callers waited for the agent's first words (percentiles over the calls).
import type { ServerContext } from '../server/context.ts';
import { json } from './history.ts';
import type { Percentiles, Stats } from './shared/types.ts';

const HOUR_MS = 3_600_000;
export const HOURS = 24;

/** Nearest-rank percentiles (each one a value that was measured); null without values. */
export function percentiles(values: number[]): Percentiles | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)]!;
  return { n: sorted.length, p50: at(50), p90: at(90), p99: at(99) };
}

/** `live` stands for calls with no end recorded (in progress, or the server stopped first). */
export async function stats(ctx: ServerContext, now = Date.now()): Promise<Response> {
  if (!ctx.store) return json({ error: 'no call history: storage.url is off, so calls are not recorded' }, 404);
  // Whole hours, the current one last: 24 bars that line up with the clock.
  const since = (Math.floor(now / HOUR_MS) - (HOURS - 1)) * HOUR_MS;
  const [counts, timings] = await Promise.all([ctx.store.callsByHour(since), ctx.store.timingsSince(since)]);
  const hours = Array.from({ length: HOURS }, (_, i) => ({ start: since + i * HOUR_MS, byReason: {} as Record<string, number> }));
  const totals = new Map<string, number>();
  for (const { hour, endReason, calls } of counts) {
    const reason = endReason ?? 'live';
    const bucket = hours[hour - since / HOUR_MS];
    if (bucket) bucket.byReason[reason] = (bucket.byReason[reason] ?? 0) + calls;
    totals.set(reason, (totals.get(reason) ?? 0) + calls);
  }
  const body: Stats = {
    since,
    hours,
    reasons: [...totals].map(([reason, calls]) => ({ reason, calls })).sort((a, b) => b.calls - a.calls || a.reason.localeCompare(b.reason)),
    firstAudio: percentiles(timings.flatMap((t) => (t.firstAudioMs === undefined ? [] : [t.firstAudioMs]))),
    reply: percentiles(timings.flatMap((t) => t.replyMs ?? [])),
  };
  return json(body);
}
