// What happens when a call ends, in one place and in this order: it leaves the calls in progress,
// and what it recorded and measured goes to those who read it. /metrics counts its end (reason,
// length, frames); the store gets, through the recorder, its last events, its ending and its
// timings; the endings map keeps how it ended for the <Connect action> request Twilio sends next
// (webhook.ts); the post-call webhook (on_call_end) gets its summary, queued off the call path.
// Nothing here measures: the call did (its record, call/timings.ts), and everything else reads.
import type { Call } from '../call/call.ts';
import type { CallEndWebhook } from '../notify/call-end-webhook.ts';
import { callSummary } from '../notify/call-summary.ts';
import type { Recorder } from '../store/recorder.ts';
import type { ServerContext } from './context.ts';

export interface EndedCallReaders {
  /** When storage is on. */
  readonly recorder?: Recorder;
  readonly webhook: CallEndWebhook;
}

/** The call's `onEnd`: called once, when it has ended. */
export function passOnEndedCall(ctx: ServerContext, { recorder, webhook }: EndedCallReaders, call: Call): void {
  ctx.calls.delete(call);
  ctx.metrics.callEnded(call);
  recorder?.end(call);
  const { callSid, endReason, agent, transfer } = call.record;
  // A stream refused before it named its call (a bad token) has no ending to tell.
  if (!callSid || !endReason) return;
  ctx.endings.set(callSid, { reason: endReason, agentId: agent, transfer });
  ctx.lastStreamEndedAt = Date.now();
  // Queued, never awaited; the config now in force says where it goes.
  const onCallEnd = ctx.agentSet.config.on_call_end;
  if (onCallEnd) webhook.send(onCallEnd, callSummary(call.record, call.upstream?.line.facts, call.agentSet.redact));
}
