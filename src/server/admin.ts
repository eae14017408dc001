// What the operator's endpoints and the webhook read of the calls in progress: counts, capacity,
// and the live list.
import type { ServerContext } from './context.ts';

/**
 * Calls in progress: `greeting` (webhook answered, caller hearing <Say>, stream not started yet)
 * and `connected` (stream started). A socket that has not presented its token is neither.
 * `ringing`: outbound calls placed by this server and not yet answered or ended.
 */
export function callCounts(ctx: ServerContext): { greeting: number; connected: number; ringing: number } {
  let connected = 0;
  for (const call of ctx.calls) if (call.callSid !== undefined) connected++;
  return { greeting: ctx.tokens.pending, connected, ringing: ctx.dialler.placed.size };
}

/**
 * Calls in progress when they are at `limits.max_concurrent_calls` (no new one may start), else
 * undefined. Outbound calls still ringing hold their lines too: each may be answered any moment.
 */
export function atCapacity(ctx: ServerContext): number | undefined {
  const { greeting, connected, ringing } = callCounts(ctx);
  const active = greeting + connected + ringing;
  return active >= ctx.agentSet.config.limits.max_concurrent_calls ? active : undefined;
}

/** The calls in progress, those still in their greeting first. */
export function liveCalls(ctx: ServerContext) {
  const now = Date.now();
  const greeting = [...ctx.tokens.waiting()].map(({ callSid, since }) => {
    const prewarmed = ctx.prewarm.peek(callSid);
    return {
      callSid,
      state: 'greeting',
      agent: prewarmed?.agentId ?? null,
      seconds: Math.round((now - since) / 1000),
      upstreamReady: prewarmed?.upstream.isReady ?? false,
    };
  });
  const connected = [...ctx.calls]
    .filter((call) => call.callSid !== undefined)
    .map((call) => ({
      callSid: call.callSid ?? null,
      state: 'connected',
      agent: call.record.agent ?? null,
      seconds: Math.round((now - call.record.startedAt) / 1000),
      upstreamReady: call.upstream?.isReady ?? false,
    }));
  return [...greeting, ...connected];
}
