// The calls in progress, as this server holds them: first those whose webhook was answered and
// whose caller still hears <Say> (a stream token waiting, perhaps a session pre-warmed for it),
// then those whose stream has started. GET / and /metrics count them, the capacity check too
// (admin.ts), GET /calls lists them (call-history.ts), the console's live feed shows them
// (console/live-calls.ts): each shapes them its own way, all from this one view. Read on request
// or once a second, never per frame.
import type { CallFacts } from '../agents/line.ts';
import type { Call } from '../call/call.ts';
import type { ServerContext } from './context.ts';

interface InProgress {
  callSid: string;
  /** The agent that has the call now (greeting: the one its session was pre-warmed for, if any). */
  agent: string | null;
  /** ms since the epoch: when the webhook was answered (greeting) or the stream started (connected). */
  since: number;
  /** Its Realtime session is open and configured. */
  upstreamReady: boolean;
  /** Who called whom, when a session (pre-warmed, or the call's) has them. */
  facts: CallFacts | undefined;
}

/**
 * greeting: webhook answered, caller hearing <Say>, stream not started yet. connected: stream
 * started (with the call itself: its record and its session). A socket that has not presented
 * its token is neither.
 */
export type CallInProgress = InProgress & ({ state: 'greeting' } | { state: 'connected'; call: Call });

/** The calls in progress, those still in their greeting first. */
export function* callsInProgress(ctx: ServerContext): Generator<CallInProgress> {
  for (const { callSid, since } of ctx.tokens.waiting()) {
    const warm = ctx.prewarm.peek(callSid);
    const upstream = warm?.upstream;
    yield { callSid, state: 'greeting', agent: warm?.agentId ?? null, since, upstreamReady: upstream?.isReady ?? false, facts: upstream?.line.facts };
  }
  for (const call of ctx.calls) {
    const callSid = call.callSid;
    if (callSid === undefined || call.ended) continue;
    const upstream = call.upstream;
    // A handoff moves the line's agent; before the session is adopted, the agent the stream named.
    const agent = upstream?.line.agentId ?? call.record.agent ?? null;
    yield { callSid, state: 'connected', call, agent, since: call.record.startedAt, upstreamReady: upstream?.isReady ?? false, facts: upstream?.line.facts };
  }
}
