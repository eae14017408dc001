// One round: a fresh fake upstream and a fresh target, the load run against it, and what /proc,
// the upstream and the target's own event loop monitor saw meanwhile.
import { join } from 'node:path';
import { probeEnv, readLoopDelay, type LoopDelaySource } from './loop-delay.ts';
import { median, roundMetrics, type LoadReport, type RoundMetrics } from './metrics.ts';
import { cpuSeconds, freePort, machineBusySeconds, memoryKiB, pinned, spawnTracked, stopProcess, waitFor200 } from './processes.ts';
import { BINARY, targetEnv, type Target } from './targets.ts';
import { startLeanUpstream } from './upstream.ts';

export interface RoundOptions {
  label: string;
  target: Target;
  calls: number;
  seconds: number;
  rampMs: number;
  connectDelayMs: number;
  /** Cores for the target and for the load; undefined: not pinned. */
  targetCpu?: number;
  loadCpu?: number;
  workDir: string;
  logDir: string;
  progress: (message: string) => void;
}

const STARTUP_TIMEOUT_MS = 30_000;
/** Lets the target finish start-up work (lazy imports, JIT) before the idle reading. */
const SETTLE_MS = 1000;
const SAMPLE_EVERY_MS = 250;
const PROGRESS_EVERY_MS = 5000;
/** Frames in flight when the load exits still reach the upstream. */
const DRAIN_MS = 300;

async function forwardLines(stream: ReadableStream<Uint8Array>, progress: (line: string) => void): Promise<string> {
  const decoder = new TextDecoder();
  let all = '';
  let pending = '';
  for await (const bytes of stream) {
    const chunk = decoder.decode(bytes, { stream: true });
    all += chunk;
    pending += chunk;
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) if (line.trim()) progress(`  ${line}`);
  }
  return all;
}

export async function runRound(o: RoundOptions): Promise<RoundMetrics> {
  const upstream = startLeanUpstream({ connectDelayMs: o.connectDelayMs });
  const port = freePort();
  const base = `http://127.0.0.1:${port}`;
  o.progress(`${o.label}: starting ${o.target.name} on port ${port}`);
  const label = o.label.replace(/\W+/g, '-');
  const loopDelayFile = join(o.workDir, `${label}-loop-delay.json`);
  const t = o.target;
  const target = spawnTracked(pinned(o.targetCpu, t.command), {
    env: { ...targetEnv(t, port, upstream.url), ...(t.loopDelay === 'metrics' ? {} : probeEnv(t.loopDelay, loopDelayFile)) },
    cwd: o.workDir,
    log: join(o.logDir, `${label}-${t.name}.log`),
  });
  const loopDelaySource: LoopDelaySource = t.loopDelay === 'metrics' ? { kind: 'metrics', url: `${base}/metrics` } : { kind: 'probe', pid: target.pid, file: loopDelayFile };
  try {
    await waitFor200(`${base}/`, performance.now(), target, STARTUP_TIMEOUT_MS);
    await Bun.sleep(SETTLE_MS);
    const idleRssKiB = memoryKiB(target.pid, 'VmRSS');
    // Start-up and the idle second are not part of the load's window.
    await readLoopDelay(loopDelaySource);

    o.progress(`${o.label}: load: ${o.calls} calls x ${o.seconds} s`);
    const cpuBefore = cpuSeconds(target.pid);
    const selfBefore = cpuSeconds(process.pid);
    const machineBefore = machineBusySeconds();
    const started = performance.now();
    const load = spawnTracked(
      pinned(o.loadCpu, [BINARY, 'simulate', '--url', base, '--calls', String(o.calls), '--seconds', String(o.seconds), '--ramp-ms', String(o.rampMs), '--stamp', '--json']),
      { env: { PATH: process.env.PATH ?? '/usr/bin:/bin' }, cwd: o.workDir, stdout: 'pipe', stderr: 'pipe' },
    );
    const samples: { atMs: number; rssKiB: number }[] = [];
    let lastCpu = cpuBefore;
    let lastProgress = started;
    const sampler = setInterval(() => {
      const now = performance.now();
      samples.push({ atMs: now - started, rssKiB: memoryKiB(target.pid, 'VmRSS') });
      if (now - lastProgress < PROGRESS_EVERY_MS) return;
      const cpu = cpuSeconds(target.pid);
      const open = upstream.sessions.length;
      o.progress(
        `${o.label}: ${Math.round((now - started) / 1000)}/${o.seconds + Math.ceil(o.rampMs / 1000)} s, ` +
          `${o.target.name} rss ${Math.round(samples.at(-1)!.rssKiB / 1024)} MiB, cpu ${Math.round(((cpu - lastCpu) / ((now - lastProgress) / 1000)) * 100)}% of a core, ` +
          `${open} upstream sessions`,
      );
      lastCpu = cpu;
      lastProgress = now;
    }, SAMPLE_EVERY_MS);
    const deadline = setTimeout(() => load.kill('SIGKILL'), (o.seconds + o.rampMs / 1000 + 60) * 1000);
    const [stdout] = await Promise.all([
      new Response(load.stdout as ReadableStream<Uint8Array>).text(),
      forwardLines(load.stderr as ReadableStream<Uint8Array>, o.progress),
      load.exited,
    ]);
    clearTimeout(deadline);
    clearInterval(sampler);
    const windowSeconds = (performance.now() - started) / 1000;
    const targetCpuSeconds = cpuSeconds(target.pid) - cpuBefore;
    const usage = load.resourceUsage();
    const loadCpuSeconds = usage ? Number(usage.cpuTime.user + usage.cpuTime.system) / 1e6 : 0;
    const selfCpuSeconds = cpuSeconds(process.pid) - selfBefore;
    const machineCpuSeconds = machineBusySeconds() - machineBefore;
    const loopDelay = await readLoopDelay(loopDelaySource);
    await Bun.sleep(DRAIN_MS);

    let report: LoadReport;
    try {
      report = JSON.parse(stdout) as LoadReport;
    } catch {
      throw new Error(`the load (exit ${load.exitCode ?? load.signalCode}) printed no JSON report: ${stdout.slice(0, 300)}`);
    }
    // Every call is connected and none has hung up yet from the end of the ramp (plus the
    // webhook and a margin) to the first hang-up.
    const loaded = samples.filter((s) => s.atMs >= o.rampMs + 1500 && s.atMs <= o.seconds * 1000).map((s) => s.rssKiB);
    const loadedRssKiB = median(loaded.length > 0 ? loaded : samples.map((s) => s.rssKiB));
    return roundMetrics({
      calls: o.calls,
      seconds: o.seconds,
      connectDelayMs: o.connectDelayMs,
      load: report,
      sessions: upstream.sessions,
      uplinkMs: upstream.uplinkMs,
      uplinkSentAt: upstream.uplinkSentAt,
      heldUplinkMs: upstream.heldUplinkMs,
      windowSeconds,
      targetCpuSeconds,
      loadCpuSeconds,
      runnerCpuSeconds: selfCpuSeconds,
      otherCpuSeconds: Math.max(0, machineCpuSeconds - targetCpuSeconds - loadCpuSeconds - selfCpuSeconds),
      idleRssKiB,
      loadedRssKiB,
      peakRssKiB: memoryKiB(target.pid, 'VmHWM'),
      loopDelay,
    });
  } finally {
    await stopProcess(target);
    await upstream.stop();
  }
}
