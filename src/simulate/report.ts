// What a simulated run says: one JSON object for machines, a few lines for people.
import type { CallResult } from './caller.ts';
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

export function summary(results: CallResult[], seconds: number) {
  const failed = results.filter((r) => r.error);
  const round = (p: ReturnType<typeof percentiles>) => ({
    p50: +p.p50.toFixed(3),
    p99: +p.p99.toFixed(3),
    max: +p.max.toFixed(3),
    count: p.count,
  });
  const sum = (pick: (r: CallResult) => number) => results.reduce((a, r) => a + pick(r), 0);
  return {
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
    streams: results.map((r) => ({ index: r.index, callSid: r.callSid, startSentAt: r.startSentAt, framesSent: r.framesSent })),
  };
}

export function describeCall(r: CallResult): string[] {
  if (r.error) return [`call ${r.index + 1} ${r.callSid}: failed: ${r.error}`];
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
