// Other people's work on the machine (a test run, a build) skews every number, the latencies
// most. Before each measurement, wait a bounded while for the rest of the machine to go idle.
import { machineBusySeconds } from './processes.ts';

/** More than this share of a core busy elsewhere counts as "not quiet". */
const BUSY_CORES = 0.15;
const PROBE_MS = 1000;
const REPORT_EVERY_MS = 10_000;

/** Resolves true once a one-second probe finds the machine quiet, false if `maxWaitMs` ran out. */
export async function waitForQuietMachine(progress: (message: string) => void, maxWaitMs = 120_000): Promise<boolean> {
  const started = performance.now();
  let reported = started;
  for (;;) {
    const before = machineBusySeconds();
    await Bun.sleep(PROBE_MS);
    const busyCores = (machineBusySeconds() - before) / (PROBE_MS / 1000);
    if (busyCores <= BUSY_CORES) return true;
    const now = performance.now();
    if (now - started >= maxWaitMs) {
      progress(`the machine is still busy (${Math.round(busyCores * 100)}% of a core elsewhere) after ${maxWaitMs / 1000} s: measuring anyway`);
      return false;
    }
    if (now - reported >= REPORT_EVERY_MS || reported === started) {
      progress(`waiting for a quiet machine: other processes use ${Math.round(busyCores * 100)}% of a core`);
      reported = now;
    }
  }
}
