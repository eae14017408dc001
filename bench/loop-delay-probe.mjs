// Event loop delay of a bench target that has no /metrics of its own, loaded into it from outside
// so that its code stays as it is: the baseline under Node (NODE_OPTIONS=--import), the floor
// under Bun (BUN_OPTIONS=--preload). The same perf_hooks monitor and resolution as switchboard's
// /metrics (src/metrics/event-loop.ts). On SIGUSR2 it writes what it saw since the previous signal
// to $BENCH_LOOP_DELAY_FILE as JSON (ms) and starts afresh. Node's histogram holds whole timer
// intervals (the resolution included), Bun's only the lateness: under Node the resolution is
// taken off, so both read as lateness.
import { renameSync, writeFileSync } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';

const RESOLUTION_MS = 10;
const file = process.env.BENCH_LOOP_DELAY_FILE;

if (file) {
  const histogram = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
  histogram.enable();
  const offsetMs = process.versions.bun ? 0 : RESOLUTION_MS;
  const ms = (ns) => (histogram.count === 0 ? 0 : Math.max(0, ns / 1e6 - offsetMs));
  process.on('SIGUSR2', () => {
    const reading = { count: histogram.count, p50Ms: ms(histogram.percentile(50)), p99Ms: ms(histogram.percentile(99)), maxMs: ms(histogram.max) };
    histogram.reset();
    writeFileSync(`${file}.tmp`, JSON.stringify(reading));
    renameSync(`${file}.tmp`, file);
  });
}
