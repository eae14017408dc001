// The targets' own event loop delay over the load, read beside the frame latencies: a p99 frame
// latency is mostly the time a frame waited behind the rest of the loop's work. switchboard reports
// it on GET /metrics (since the previous scrape); the baseline and the floor have the same monitor
// loaded into them from outside (loop-delay-probe.mjs), answering SIGUSR2. Each read starts the
// next window: one read before the load, one after it.
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';

export interface LoopDelay {
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

export type LoopDelaySource = { kind: 'metrics'; url: string } | { kind: 'probe'; pid: number; file: string };

const PROBE = resolve(import.meta.dir, 'loop-delay-probe.mjs');
const METRIC = 'switchboard_event_loop_delay_seconds';
const READ_TIMEOUT_MS = 2000;

/** Environment that loads the probe into a Node or Bun target, writing to `file`. */
export function probeEnv(runtime: 'node' | 'bun', file: string): Record<string, string> {
  const [name, value] = runtime === 'node' ? ['NODE_OPTIONS', `--import=${PROBE}`] : ['BUN_OPTIONS', `--preload=${PROBE}`];
  return { [name]: value, BENCH_LOOP_DELAY_FILE: file };
}

/** The quantiles of switchboard_event_loop_delay_seconds in a /metrics text, in ms. */
export function parseLoopDelay(metrics: string): LoopDelay | null {
  const quantile = (q: string) => {
    const line = metrics.split('\n').find((l) => l.startsWith(`${METRIC}{quantile="${q}"} `));
    return line === undefined ? NaN : Number(line.slice(line.lastIndexOf(' ') + 1)) * 1000;
  };
  const reading = { p50Ms: quantile('0.5'), p99Ms: quantile('0.99'), maxMs: quantile('1') };
  return Object.values(reading).every(Number.isFinite) ? reading : null;
}

async function scrape(url: string): Promise<LoopDelay | null> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(READ_TIMEOUT_MS) });
    return response.ok ? parseLoopDelay(await response.text()) : null;
  } catch {
    return null;
  }
}

async function askProbe(pid: number, file: string): Promise<LoopDelay | null> {
  rmSync(file, { force: true });
  process.kill(pid, 'SIGUSR2');
  const deadline = performance.now() + READ_TIMEOUT_MS;
  while (performance.now() < deadline) {
    if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as LoopDelay;
    await Bun.sleep(5);
  }
  return null;
}

/** Delay since the previous read (or since the target started); null if it could not be read. */
export function readLoopDelay(source: LoopDelaySource): Promise<LoopDelay | null> {
  return source.kind === 'metrics' ? scrape(source.url) : askProbe(source.pid, source.file);
}
