// What the operator's endpoints and the webhook read of the calls in progress: counts and
// capacity, counted from the one view of them (live-calls.ts).
import type { ServerContext } from './context.ts';
import { callsInProgress } from './live-calls.ts';

/**
 * Calls in progress: `greeting` (webhook answered, caller hearing <Say>, stream not started yet)
 * and `connected` (stream started). A socket that has not presented its token is neither.
 * `ringing`: outbound calls placed by this server and not yet answered or ended.
 */
export function callCounts(ctx: ServerContext): { greeting: number; connected: number; ringing: number } {
  const counts = { greeting: 0, connected: 0, ringing: ctx.dialler.placed.size };
  for (const { state } of callsInProgress(ctx)) counts[state]++;
  return counts;
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
