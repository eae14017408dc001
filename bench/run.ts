// `bun run bench`: switchboard against the SDK guide's Node server (bench/baseline/) and against
// the floor, a bare Bun bridge (bench/floor/), under the same load from `switchboard simulate`, in
// alternating rounds (A B C A B C) so that drift of the machine hits all alike. The targets get
// one core, the load, the fake upstream and this runner the other. Prints one Markdown table
// (stdout) and writes bench/results/latest.json.
//   BENCH_CALLS (200)  BENCH_SECONDS (30)  BENCH_ROUNDS (2: rounds per target)
//   BENCH_RAMP_MS (1000, simulate's default: calls start spread over this)
//   BENCH_SDK=1: also switchboard with AUDIO_PATH=sdk (the SDK's own Twilio transport)
//   BENCH_NOSTORE=1: also switchboard with its call store off (what the records cost)
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureBinary } from './build.ts';
import { coldStartMs } from './cold-start.ts';
import { machine, versions } from './environment.ts';
import { summarize, type RoundMetrics, type TargetSummary } from './metrics.ts';
import { allowedCpus, pinSelf } from './processes.ts';
import { waitForQuietMachine } from './quiet.ts';
import { goalRows, markdownTable } from './report.ts';
import { runRound } from './round.ts';
import { ROOT, TARGETS, targetOrder, type TargetName } from './targets.ts';

/** The real API's TLS + WebSocket handshake, give or take; the baseline pays it on every call. */
const CONNECT_DELAY_MS = 300;
const COLD_STARTS = 5;
/** What the issue's goals are set for. */
const GOAL_CALLS = 200;

function envInt(name: string, fallback: number, min = 1): number {
  const raw = process.env[name];
  const value = raw === undefined || raw === '' ? fallback : Number(raw);
  if (!Number.isInteger(value) || value < min) throw new RangeError(`${name} must be a whole number >= ${min} (got ${raw})`);
  return value;
}

const progress = (message: string) => process.stderr.write(`bench: ${message}\n`);
const fixed = (n: number, digits: number) => (Number.isFinite(n) ? n.toFixed(digits) : 'n/a');

async function main(): Promise<void> {
  const calls = envInt('BENCH_CALLS', 200);
  const seconds = envInt('BENCH_SECONDS', 30);
  const roundsPerTarget = envInt('BENCH_ROUNDS', 2);
  const rampMs = envInt('BENCH_RAMP_MS', 1000, 0);
  const startedAt = new Date().toISOString();
  const host = machine();
  const order = targetOrder();

  ensureBinary(progress);
  const cpus = allowedCpus();
  const [targetCpu, loadCpu] = cpus.length >= 2 ? [cpus[0], cpus[1]] : [undefined, undefined];
  if (targetCpu === undefined) progress('only one CPU: servers and load share it (numbers are not comparable to a 2-core run)');
  else progress(`targets on CPU ${targetCpu}; load, fake upstream and this runner on CPU ${loadCpu}`);
  pinSelf(loadCpu);

  const workDir = mkdtempSync(join(tmpdir(), 'switchboard-bench-'));
  const resultsDir = join(ROOT, 'bench/results');
  const logDir = join(resultsDir, 'logs');
  mkdirSync(logDir, { recursive: true });
  try {
    // On the target's core, like the load runs; unpinned too, as a person timing it by hand sees it.
    const coldStarts = Object.fromEntries(order.map((n) => [n, { pinned: [] as number[], unpinned: [] as number[] }])) as Record<
      TargetName,
      { pinned: number[]; unpinned: number[] }
    >;
    await waitForQuietMachine(progress);
    for (let i = 1; i <= COLD_STARTS; i++) {
      for (const name of order) {
        coldStarts[name].pinned.push(await coldStartMs(TARGETS[name], targetCpu, workDir));
        coldStarts[name].unpinned.push(await coldStartMs(TARGETS[name], cpus, workDir));
      }
      const last = (n: TargetName) => `${n} ${fixed(coldStarts[n].pinned.at(-1)!, 1)} ms (unpinned ${fixed(coldStarts[n].unpinned.at(-1)!, 1)} ms)`;
      progress(`cold start ${i}/${COLD_STARTS}: ${order.map(last).join(', ')}`);
    }

    const rounds: { label: string; target: TargetName; metrics: RoundMetrics }[] = [];
    const total = roundsPerTarget * order.length;
    for (let r = 0; r < roundsPerTarget; r++) {
      for (const name of order) {
        const label = `round ${rounds.length + 1}/${total}`;
        await waitForQuietMachine(progress);
        const m = await runRound({
          label,
          target: TARGETS[name],
          calls,
          seconds,
          rampMs,
          connectDelayMs: CONNECT_DELAY_MS,
          targetCpu,
          loadCpu,
          workDir,
          logDir,
          progress,
        });
        rounds.push({ label, target: name, metrics: m });
        progress(
          `${label} ${name}: ${m.completed}/${m.calls} calls, ${fixed(m.cpuPerCallMinute, 4)} CPU s/call-min, ` +
            `${fixed(m.rssPerCallKiB, 0)} KiB/call, uplink p99 ${fixed(m.uplinkMs.p99, 2)} ms, downlink p99 ${fixed(m.downlinkMs.p99, 2)} ms, ` +
            `${m.callerFramesLost} caller frames lost, ready p99 ${fixed(m.readyMs.p99, 1)} ms`,
        );
        for (const warning of m.warnings) progress(`${label} ${name}: WARNING ${warning}`);
      }
    }

    const of = (name: TargetName) => rounds.filter((r) => r.target === name).map((r) => r.metrics);
    const summary = Object.fromEntries(order.map((n) => [n, summarize(of(n), coldStarts[n])])) as Record<TargetName, TargetSummary>;
    const rows = goalRows(summary);
    const notes = [
      `${calls} calls x ${seconds} s per round, ${roundsPerTarget} round(s) per target (${order.join(', ')}), alternating, ramp ${rampMs} ms, ` +
        `fake upstream connect delay ${CONNECT_DELAY_MS} ms; ${targetCpu === undefined ? 'no pinning' : `target on CPU ${targetCpu}, load on CPU ${loadCpu}`}.`,
      'Over rounds: costs and p50s are averaged, p99s are the worst round, counts add up. Cold start: median of ' +
        `${COLD_STARTS} fresh processes. Uplink p99 counts frames sent once the call's upstream was ready; frames held before that have their own row.`,
    ];
    notes.push(
      'Event loop delay: how late each target\'s own loop ran (perf_hooks monitor, 10 ms resolution) from just before the load to its end; ' +
        "switchboard's from its GET /metrics, the baseline's and the floor's from the same monitor loaded into them (loop-delay-probe.mjs).",
    );
    if (calls !== GOAL_CALLS || targetCpu === undefined) {
      notes.push(`The goals are set for ${GOAL_CALLS} concurrent calls with one core for the server; this run had ${calls} calls${targetCpu === undefined ? ' and no pinning' : ''}.`);
    }
    if (summary.switchboard.connectLeadP50 < CONNECT_DELAY_MS) {
      notes.push(
        `The load opens each stream right after the webhook's TwiML: switchboard began connecting upstream ${fixed(summary.switchboard.connectLeadP50, 1)} ms ` +
          `before the stream started (p50), less than the upstream's ${CONNECT_DELAY_MS} ms connect time, so "stream start to upstream ready" shows the wait left.`,
      );
    }
    for (const { label, target, metrics } of rounds) for (const w of metrics.warnings) notes.push(`${label} ${target}: ${w}`);
    const table = markdownTable(rows, order);

    const resultsFile = join(resultsDir, 'latest.json');
    const results = {
      startedAt,
      finishedAt: new Date().toISOString(),
      command: {
        argv: process.argv,
        env: { BENCH_CALLS: calls, BENCH_SECONDS: seconds, BENCH_ROUNDS: roundsPerTarget, BENCH_RAMP_MS: rampMs, BENCH_SDK: process.env.BENCH_SDK ?? null, BENCH_NOSTORE: process.env.BENCH_NOSTORE ?? null },
      },
      settings: { calls, seconds, roundsPerTarget, rampMs, connectDelayMs: CONNECT_DELAY_MS, coldStarts: COLD_STARTS, targetCpu, loadCpu, order },
      machine: host,
      versions: versions(),
      targets: Object.fromEntries(order.map((n) => [n, { command: TARGETS[n].command, env: TARGETS[n].env ?? {} }])),
      coldStartsMs: coldStarts,
      summary,
      goals: rows,
      rounds,
      notes,
      table,
    };
    writeFileSync(resultsFile, `${JSON.stringify(results, null, 2)}\n`);
    process.stdout.write(`${table}\n\n${notes.map((n) => `- ${n}`).join('\n')}\n`);
    progress(`raw numbers in ${resultsFile}; server logs in ${logDir}`);
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
}

try {
  await main();
  process.exit(0);
} catch (error) {
  progress(`failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  process.exit(1);
}
