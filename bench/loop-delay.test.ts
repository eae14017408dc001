// The bench reads event loop delay two ways; both must keep reading what the targets write.
import { expect, test } from 'bun:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Metrics } from '../src/metrics/metrics.ts';
import { parseLoopDelay, probeEnv, readLoopDelay } from './loop-delay.ts';

test("switchboard's /metrics text reads as p50, p99 and max in ms", async () => {
  const reading = parseLoopDelay(await new Metrics().registry.metrics());
  expect(reading).not.toBeNull();
  expect(reading!.maxMs).toBeGreaterThanOrEqual(reading!.p50Ms);
  expect(parseLoopDelay('# nothing here\n')).toBeNull();
});

test('the probe loaded into a Bun process reports a stall, then starts afresh', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'loop-delay-'));
  const file = join(dir, 'reading.json');
  // Stalls its loop for 60 ms once, then idles until killed.
  const script = 'setTimeout(() => { const t = performance.now(); while (performance.now() - t < 60) {} }, 50); setInterval(() => {}, 1000); console.log("up");';
  const child = Bun.spawn([process.execPath, '-e', script], { env: { ...process.env, ...probeEnv('bun', file) }, stdout: 'pipe' });
  try {
    await child.stdout.getReader().read(); // the probe is loaded before the script runs
    await Bun.sleep(200);
    const stalled = await readLoopDelay({ kind: 'probe', pid: child.pid, file });
    expect(stalled!.maxMs).toBeGreaterThanOrEqual(40);
    await Bun.sleep(100);
    const after = await readLoopDelay({ kind: 'probe', pid: child.pid, file });
    expect(after!.maxMs).toBeLessThan(40);
  } finally {
    child.kill();
    rmSync(dir, { recursive: true, force: true });
  }
});
