// Outbound calls in /metrics: the refusals of the outbound policy by reason (a climbing
// destination or high_risk count is someone trying to dial where they should not: toll fraud),
// the calls placed, and those ringing now (they hold lines until answered or ended).
import { Gauge } from 'prom-client';
import { mirrorCounter } from './collect.ts';
import type { Metrics } from './metrics.ts';

/** What the Dialler offers for metrics. */
export interface OutboundMetricsSource {
  readonly refused: ReadonlyMap<string, number>;
  readonly placedTotal: number;
  readonly placed: { readonly size: number };
}

export function registerOutbound(metrics: Metrics, dialler: OutboundMetricsSource): void {
  mirrorCounter(
    metrics,
    {
      name: 'switchboard_outbound_refused_total',
      help: 'Outbound calls refused before Twilio was asked, by reason: destination (not an allowed prefix), high_risk (premium or high-fraud range), rate_minute, rate_day, capacity.',
      label: 'reason',
    },
    () => dialler.refused,
  );
  mirrorCounter(metrics, { name: 'switchboard_outbound_placed_total', help: 'Outbound calls Twilio accepted (POST /calls).' }, () => dialler.placedTotal);
  new Gauge({
    name: 'switchboard_outbound_ringing',
    help: 'Outbound calls placed and not yet answered or ended; they count toward limits.max_concurrent_calls.',
    registers: [metrics.registry],
    collect() {
      this.set(dialler.placed.size);
    },
  });
}
