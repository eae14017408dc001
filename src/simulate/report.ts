// What a simulated run says: one JSON object for machines, a few lines for people.
import type { CallResult } from './caller.ts';
import type { Expectation } from './outcome.ts';
import { percentiles } from './stamp.ts';

/** Steady state: every call up and past its set-up (this long after the last start), until the first hang-up. */
const STEADY_AFTER_MS = 2000;

function steadyDownlink(results: CallResult[], seconds: number): number[] {
  const starts = results.map((r) => r.startSentAt).filter((t) => t > 0);
  if (starts.length === 0) return [];
  const from = Math.max(...starts) + STEADY_AFTER_MS;
  const to = Math.min(...starts) + seconds * 1000;
  return results.flatMap((r) => r.downlinkMs.filter((_, i) => r.downlinkSentAt[i]! >= from && r.downlinkSentAt[i]! <= to));
}

export function summary(results: CallResult[], seconds: number, expect: Expectation = 'audio') {
  const failed = results.filter((r) => r.error);
  const round = (p: ReturnType<typeof percentiles>) => ({
    p50: +p.p50.toFixed(3),
    p99: +p.p99.toFixed(3),
    max: +p.max.toFixed(3),
    count: p.count,
  });
  const sum = (pick: (r: CallResult) => number) => results.reduce((a, r) => a + pick(r), 0);
  return {
    expect,
    calls: results.length,
    completed: results.length - failed.length,
    failed: failed.length,
    errors: [...new Set(failed.map((r) => r.error!))],
    framesSent: sum((r) => r.framesSent),
    framesReceived: sum((r) => r.framesReceived),
    clears: sum((r) => r.clears),
    marks: sum((r) => r.marks),
    firstAudioMs: round(percentiles(results.flatMap((r) => (r.firstAudioMs === undefined ? [] : [r.firstAudioMs])))),
    downlinkMs: round(percentiles(results.flatMap((r) => r.downlinkMs))),
    downlinkSteadyMs: round(percentiles(steadyDownlink(results, seconds))),
    endedByServer: results.filter((r) => r.end?.by === 'server').length,
    // One entry per call: its outcome, and why it failed when it did.
    streams: results.map((r) => ({
      index: r.index,
      callSid: r.callSid,
      startSentAt: r.startSentAt,
      framesSent: r.framesSent,
      framesReceived: r.framesReceived,
      outcome: r.outcome,
      ...(r.error ? { error: r.error } : {}),
    })),
  };
}

export type Summary = ReturnType<typeof summary>;

/** The report for people: each call (up to 5), then one line for all, then each distinct failure. */
export function describeRun(results: CallResult[], report: Summary): string[] {
  const lines = results.length <= 5 ? results.flatMap(describeCall) : [];
  const audio =
    report.firstAudioMs.count === 0
      ? 'no agent audio'
      : `first agent audio p50 ${Math.round(report.firstAudioMs.p50)} ms, p99 ${Math.round(report.firstAudioMs.p99)} ms`;
  const as = report.expect === 'audio' ? '' : ` as expected (--expect ${report.expect})`;
  const failed = report.failed > 0 ? `, ${report.failed} failed` : '';
  lines.push(`${report.completed}/${report.calls} calls completed${as}${failed}; ${audio}; ${report.marks} marks, ${report.clears} clears`);
  if (results.length > 5) {
    const counts = new Map<string, number>();
    for (const r of results) if (r.error) counts.set(r.error, (counts.get(r.error) ?? 0) + 1);
    for (const [error, n] of counts) lines.push(`failed (${n} call${n === 1 ? '' : 's'}): ${error}`);
  }
  return lines;
}

export function describeCall(r: CallResult): string[] {
  if (r.error) return [`call ${r.index + 1} ${r.callSid}: failed: ${r.error}`];
  // Expected, but not an agent's answer (--expect fallback|busy|refused): the detail says it all.
  if (r.outcome && r.outcome !== 'audio') return [`call ${r.index + 1} ${r.callSid}: ${r.outcome}, as expected: ${r.detail}`];
  const lines = [
    `call ${r.index + 1} ${r.callSid}: ` +
      (r.firstAudioMs === undefined ? 'no agent audio' : `first agent audio after ${Math.round(r.firstAudioMs)} ms`) +
      `, ${(r.framesReceived * 0.02).toFixed(1)} s of agent audio, ${r.marks} marks, ${r.clears} clears`,
  ];
  const end = r.end;
  if (end?.by === 'caller') lines.push('  ended: the caller hung up (stop)');
  else if (end) lines.push(`  ended: the server closed the stream (${end.code}${end.reason ? ` ${end.reason}` : ''})`);
  if (r.after) lines.push(`  then Twilio runs: ${r.after.replace(/^<\?xml[^>]*>/, '')}`);
  return lines;
}
