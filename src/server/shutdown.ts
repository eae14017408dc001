// How the server stops: at once (every call ends, its caller hears the fallback), or draining
// (SIGTERM: new calls hear the busy message, calls in progress get a grace period to finish, and
// the server stays up for the requests Twilio sends after streams end and for pending post-call
// webhooks). In both, the calls it ends are handed on (call-ended.ts) before it stops listening:
// Call.end runs its onEnd at once.
import type { Server } from 'bun';
import type { EndReason } from '../call/end-reason.ts';
import type { CallEndWebhook } from '../notify/call-end-webhook.ts';
import type { ServerContext } from './context.ts';

/** How long a draining server keeps answering after the last stream ended (its fallback request). */
const FALLBACK_WINDOW_MS = 2000;
/** How often a draining server looks whether its calls have ended. */
const DRAIN_POLL_MS = 100;

/** What a stop ends: the listening server, the live records' sync, the post-call deliveries. */
export interface Running {
  readonly ctx: ServerContext;
  readonly server: Server<unknown>;
  readonly webhook: CallEndWebhook;
  /** The recorder's once-a-second sync of live calls, when storage is on. */
  readonly syncTimer: Timer | undefined;
}

/** Ends every call (their callers hear the fallback) and stops listening. */
export async function stop({ ctx, server, webhook, syncTimer }: Running, reason: EndReason = 'shutdown'): Promise<void> {
  clearInterval(syncTimer);
  for (const call of [...ctx.calls]) call.end(reason);
  ctx.prewarm.closeAll();
  webhook.stop();
  await server.stop(true);
}

/**
 * Graceful shutdown: new calls hear the busy message, calls in progress get up to `graceMs`
 * to finish; then the rest end (through the fallback, which is still served) and it stops.
 */
export async function drain({ ctx, server, webhook, syncTimer }: Running, graceMs: number): Promise<void> {
  ctx.draining = true;
  const deadline = Date.now() + graceMs;
  // Callers still hearing <Say> (a pending stream token) are calls in progress too.
  while ((ctx.calls.size > 0 || ctx.tokens.pending > 0) && Date.now() < deadline) await Bun.sleep(DRAIN_POLL_MS);
  for (const call of [...ctx.calls]) call.end('shutdown');
  ctx.prewarm.closeAll();
  // After a stream ends Twilio asks the <Connect action> what to play next: stay up to answer
  // for the streams that just ended. Post-call webhooks still pending get the rest of the grace
  // (at least that window: calls ended just now have summaries too); then they are given up.
  const fallbackUntil = ctx.lastStreamEndedAt + FALLBACK_WINDOW_MS;
  await webhook.settle(Math.max(deadline, fallbackUntil));
  webhook.stop();
  const window = fallbackUntil - Date.now();
  if (window > 0) await Bun.sleep(window);
  clearInterval(syncTimer);
  await server.stop(true);
}
