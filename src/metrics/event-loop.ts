// How late the event loop runs: every frame waits behind whatever else the loop is doing, so a
// p99 frame latency is read beside this. One process-wide monitor (Node's perf_hooks histogram,
// native in Bun, sampling every 10 ms); each scrape reads what happened since the previous one.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Gauge, type Registry } from 'prom-client';

const RESOLUTION_MS = 10;
const QUANTILES = [0.5, 0.99, 1] as const;
let monitor: ReturnType<typeof monitorEventLoopDelay> | undefined;

export function registerEventLoopDelay(registry: Registry): void {
  if (!monitor) {
    monitor = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
    monitor.enable();
  }
  const histogram = monitor;
  new Gauge({
    name: 'switchboard_event_loop_delay_seconds',
    help: `Event loop delay since the previous scrape (sampled every ${RESOLUTION_MS} ms), by quantile; 1 is the longest stall.`,
    labelNames: ['quantile'],
    registers: [registry],
    collect() {
      // An empty histogram reads as 0 (nothing was late), not as its huge initial minimum.
      const empty = histogram.count === 0;
      for (const q of QUANTILES) this.set({ quantile: String(q) }, empty ? 0 : (q === 1 ? histogram.max : histogram.percentile(q * 100)) / 1e9);
      histogram.reset();
    },
  });
}
