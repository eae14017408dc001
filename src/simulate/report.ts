// What a simulated run says: one JSON object for machines, a few lines for people.
import type { CallResult } from './caller.ts';
import { percentiles } from './stamp.ts';

export function summary(results: CallResult[]) {
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
