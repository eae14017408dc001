// Twilio's voice webhook and the <Connect action> that follows every stream: both verified by
// readTwilioRequest, both answered with TwiML.
import { encodeFacts, renderCallFacts, type CallFacts } from '../agents/line.ts';
import { dialTwiml, sayThenTwiml, streamTwiml } from '../twilio/twiml.ts';
import { atCapacity } from './admin.ts';
import type { ServerContext } from './context.ts';
import { maskNumber } from '../log/logger.ts';
import { readTwilioRequest } from './twilio-request.ts';

export const MEDIA_STREAM_PATH = '/media-stream';

/** What a stream token vouches for besides its CallSid: the agent and the call facts it was given. */
export const streamBinding = (agent: string | undefined, call: string | undefined) => `${agent ?? ''}\n${call ?? ''}`;
export const CALL_ENDED_PATH = '/call-ended';

const xml = (body: string) => new Response(body, { headers: { 'content-type': 'text/xml; charset=utf-8' } });

/** The public origin, or (--insecure without PUBLIC_URL) the Host header, as the SDK's example does. */
function publicOrigin(ctx: ServerContext, request: Request): string {
  return ctx.settings.publicUrl ?? `https://${request.headers.get('host') ?? 'localhost'}`;
}

export async function incomingCall(request: Request, ctx: ServerContext): Promise<Response> {
  const params = await readTwilioRequest(request, ctx.settings, ctx.log);
  if (params instanceof Response) return params;
  const callSid = params.get('CallSid');
  if (!callSid) return new Response('CallSid missing\n', { status: 400 });
  const { agentSet } = ctx;
  const to = params.get('To') ?? '';
  // The called number picks the agent; the caller controls nothing here.
  const agentId = agentSet.config.numbers[to] ?? agentSet.entryId;
  const facts: CallFacts = { sid: callSid, from: params.get('From') ?? '', to, direction: params.get('Direction') ?? 'inbound', params: {} };
  return answerCall(ctx, request, agentId, facts);
}

/**
 * The TwiML that connects a call to an agent (inbound, or an answered outbound call): the busy
 * message at capacity or while draining; else the agent's `say`, then the stream with its signed
 * parameters, while the call's session is pre-warmed.
 */
export function answerCall(ctx: ServerContext, request: Request, agentId: string, facts: CallFacts): Response {
  const { agentSet, tokens, log } = ctx;
  const { limits } = agentSet.config;
  const callSid = facts.sid;
  if (ctx.draining) {
    log.warn('busy: shutting down, call turned away', { callSid });
    return xml(sayThenTwiml({ say: limits.busy_say }));
  }
  // Streams on their way count too: their callers are listening to <Say> right now. A socket that
  // has not presented its token yet is not a call (it may never be one).
  const active = atCapacity(ctx);
  if (active !== undefined) {
    log.warn('busy: call turned away', { callSid, active, limit: limits.max_concurrent_calls });
    return xml(sayThenTwiml({ say: limits.busy_say }));
  }
  const origin = publicOrigin(ctx, request);
  log.info('incoming call', { callSid, agent: agentId, direction: facts.direction });
  // The caller's number is personal data: the log shows its last four digits only (on an outbound
  // call the person is the one called: `to`).
  const outbound = facts.direction.startsWith('outbound');
  log.debug('webhook', { callSid, from: maskNumber(facts.from), to: outbound ? maskNumber(facts.to) : facts.to || undefined });
  ctx.prewarm.start(callSid, agentId, facts);
  const call = encodeFacts(facts);
  const say = agentSet.config.agents[agentId]?.say;
  return xml(
    streamTwiml({
      say: say === undefined ? undefined : renderCallFacts(say, facts),
      streamUrl: origin.replace(/^http/, 'ws') + MEDIA_STREAM_PATH,
      // They come back in the stream's `start`, which Twilio signs; the token binds them to this call.
      parameters: { agent: agentId, call, token: tokens.mint(callSid, streamBinding(agentId, call)) },
      action: origin + CALL_ENDED_PATH,
    }),
  );
}

/** Twilio asks what to do once the stream is over. A caller still on the line hears the fallback. */
export async function callEnded(request: Request, ctx: ServerContext): Promise<Response> {
  const params = await readTwilioRequest(request, ctx.settings, ctx.log);
  if (params instanceof Response) return params;
  const callSid = params.get('CallSid') ?? '';
  // A stream that never started or was refused: the call no longer holds a line, nor a billed session.
  const released = [ctx.tokens.revoke(callSid) && 'line', ctx.prewarm.release(callSid) && 'session'].filter(Boolean);
  if (released.length > 0) ctx.log.info('released a call whose stream never started', { callSid, released: released.join(',') });
  const ending = ctx.endings.get(callSid);
  if (ending?.reason === 'caller_hangup' || ending?.reason === 'agent_hangup') return xml(sayThenTwiml({}));
  if (ending?.reason === 'transferred' && ending.transfer) {
    ctx.log.info('transfer', { callSid, to: maskNumber(ending.transfer.to) });
    return xml(dialTwiml(ending.transfer));
  }
  const agentFallback = ending?.agentId ? ctx.agentSet.config.agents[ending.agentId]?.fallback : undefined;
  const fallback = agentFallback ?? ctx.agentSet.config.fallback;
  ctx.log.info('fallback', { callSid, reason: ending?.reason ?? 'unknown', dial: fallback.dial ? 'yes' : undefined });
  return xml(sayThenTwiml(fallback));
}
