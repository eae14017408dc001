// Outbound calls on the server. POST /calls (admin) places one through Twilio's REST API, once the
// outbound policy allows it: an allowed destination outside the premium and high-fraud ranges, a
// free line (calls ringing hold theirs), and room under the dial-rate caps; each refusal is one
// line to the admin, a log line with the number masked, and a count in /metrics, and Twilio is
// never asked. /outbound-status is Twilio's status callback: a call that ends unanswered frees its
// line. /outbound-call is what Twilio requests once it is answered: a person (or Twilio cannot
// tell) gets the agent exactly as an inbound caller does (answerCall: pre-warm, stream token), an
// answering machine gets the configured message or a hang-up, with no Realtime session for it.
import type { CallFacts } from '../agents/line.ts';
import { renderCallFacts } from '../agents/line.ts';
import { maskNumber } from '../log/logger.ts';
import { checkDestination } from '../outbound/destinations.ts';
import type { RefusalReason } from '../outbound/dialler.ts';
import { checkOutbound, machineDetection, placeOutbound, readAnswerUrl, type OutboundCall } from '../outbound/request.ts';
import { TwilioApiError, type CallResource } from '../twilio/rest.ts';
import { sayThenTwiml } from '../twilio/twiml.ts';
import { atCapacity } from './admin.ts';
import type { ServerContext } from './context.ts';
import { readTwilioRequest } from './twilio-request.ts';
import { answerCall } from './webhook.ts';

const text = (status: number, body: string, headers: Record<string, string> = {}) =>
  new Response(`${body}\n`, { status, headers: { 'content-type': 'text/plain; charset=utf-8', ...headers } });
const xml = (body: string) => new Response(body, { headers: { 'content-type': 'text/xml; charset=utf-8' } });

/** Twilio's CallStatus values that end a call; `completed` after an answer is the normal path's. */
const ENDED = new Set(['completed', 'busy', 'no-answer', 'failed', 'canceled']);

/** One refusal of the policy: counted, logged with the number masked, answered in one line. */
/** How soon a caller refused at capacity might find a free line (a short call's length, roughly). */
const CAPACITY_RETRY_AFTER_S = 30;

function refuse(ctx: ServerContext, call: OutboundCall, reason: RefusalReason, status: number, message: string, headers?: Record<string, string>): Response {
  ctx.dialler.refuse(reason);
  ctx.log.warn('outbound call refused', { reason, to: maskNumber(call.to), agent: call.agent });
  return text(status, message, headers);
}

/** POST /calls `{to, agent?, from?, parameters?}`: 201 `{callSid, to, from, agent, status}` once Twilio queued it. */
export async function placeCall(request: Request, ctx: ServerContext): Promise<Response> {
  const { settings, agentSet, log, dialler } = ctx;
  if (!settings.twilio) {
    return text(503, 'outbound calls are off: set TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN (or TWILIO_API_KEY and TWILIO_API_SECRET) and restart');
  }
  if (!settings.publicUrl) return text(503, 'outbound calls need PUBLIC_URL: Twilio requests PUBLIC_URL/outbound-call when the call is answered');
  if (ctx.draining) return text(503, 'draining: not placing new calls');
  const type = (request.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== 'application/json') return text(415, 'send the call as JSON with Content-Type: application/json, e.g. {"to": "+15551234567"}');
  let body: unknown;
  try {
    body = await request.json();
  } catch {
    return text(400, 'the body is not JSON; send e.g. {"to": "+15551234567"}');
  }
  const { config } = agentSet;
  const call = checkOutbound(body, { config, envFrom: settings.twilioFrom, publicUrl: settings.publicUrl });
  if (Array.isArray(call)) return text(400, call.join('\n'));
  const refusal = checkDestination(call.to, { allowed: config.outbound.allowed_destinations, from: call.from });
  if (refusal) return refuse(ctx, call, refusal.kind === 'high_risk' ? 'high_risk' : 'destination', 403, refusal.message);
  // A call placed at capacity would only reach the busy message once answered: refuse it here.
  // The line is held from now (no await between the check and the reservation), so requests
  // arriving together cannot all pass, and while it rings.
  const active = atCapacity(ctx);
  const line = active === undefined ? dialler.placed.reserve() : undefined;
  if (line === undefined) {
    const limit = config.limits.max_concurrent_calls;
    // Too many calls for now, like the rate caps: 429, with a hint when to try again.
    const message = `at capacity: ${active ?? limit} of ${limit} calls (limits.max_concurrent_calls) in progress or ringing; try again when one ends`;
    return refuse(ctx, call, 'capacity', 429, message, { 'retry-after': String(CAPACITY_RETRY_AFTER_S) });
  }
  // The callee's number is personal data: logs show its last four digits.
  const fields = { to: maskNumber(call.to), agent: call.agent, machineDetection: machineDetection(config) };
  let placed: CallResource;
  try {
    const limited = await dialler.rate.take(config.outbound);
    if (limited) {
      dialler.placed.release(line);
      return refuse(ctx, call, limited.reason, 429, limited.message, { 'retry-after': String(limited.retryAfterSeconds) });
    }
    placed = await placeOutbound(settings.twilio, settings.publicUrl, call, config);
  } catch (error) {
    dialler.placed.release(line);
    if (!(error instanceof TwilioApiError)) throw error;
    // Twilio's message may quote the number, so the log gets the code, the admin the whole line.
    log.warn('outbound call not placed', { ...fields, status: error.status, code: error.code });
    // Twilio's 400 is about this request (a number it will not call); anything else is on our side or Twilio's.
    return text(error.status === 400 ? 400 : 502, error.message);
  }
  dialler.placed.placed(line, placed.sid);
  dialler.placedTotal++;
  log.info('outbound call placed', { callSid: placed.sid, ...fields });
  return Response.json({ callSid: placed.sid, to: call.to, from: call.from, agent: call.agent, status: placed.status }, { status: 201 });
}

/**
 * /outbound-status: Twilio's status callback for the calls placed here (signed like every
 * webhook). A call that ends (busy, no-answer, failed, canceled, or completed before its stream
 * started) frees its line; any other event says it is still on its way. A CallSid this instance
 * did not place (another instance's, the CLI's) is left alone but for its greeting line.
 */
export async function outboundStatus(request: Request, ctx: ServerContext): Promise<Response> {
  const params = await readTwilioRequest(request, ctx.settings, ctx.log);
  if (params instanceof Response) return params;
  const callSid = params.get('CallSid');
  if (!callSid) return text(400, 'CallSid missing');
  const status = params.get('CallStatus') ?? '';
  if (!ENDED.has(status)) {
    ctx.dialler.placed.touch(callSid);
    return new Response(null, { status: 204 });
  }
  const unanswered = ctx.dialler.placed.release(callSid);
  // Hung up while hearing <Say>: no stream will come to redeem the token or take the session.
  const released = [(unanswered || ctx.tokens.revoke(callSid)) && 'line', ctx.prewarm.release(callSid) && 'session'].filter(Boolean);
  if (released.length > 0) ctx.log.info('outbound call ended before its stream', { callSid, status, released: released.join(',') });
  return new Response(null, { status: 204 });
}

const isMachine = (answeredBy: string) => answeredBy.startsWith('machine_') || answeredBy === 'fax';

/** /outbound-call: Twilio's request once an outbound call is answered (signed over the URL with its query). */
export async function outboundAnswered(request: Request, ctx: ServerContext): Promise<Response> {
  const params = await readTwilioRequest(request, ctx.settings, ctx.log);
  if (params instanceof Response) return params;
  const callSid = params.get('CallSid');
  if (!callSid) return text(400, 'CallSid missing');
  // Answered: its line is counted by the stream token from here (answerCall), or is free (a machine).
  ctx.dialler.placed.release(callSid);
  const { agentSet, log } = ctx;
  const { outbound, fallback } = agentSet.config;
  const target = readAnswerUrl(new URL(request.url));
  const agentId = target.agent ?? outbound.agent ?? agentSet.entryId;
  const facts: CallFacts = {
    sid: callSid,
    from: params.get('From') ?? '',
    to: params.get('To') ?? '',
    direction: params.get('Direction') ?? 'outbound-api',
    params: target.parameters,
  };
  // Placed with another agents.yaml (the CLI's): never guess which agent should talk.
  if (!agentSet.agents.has(agentId)) {
    log.warn('outbound call for an unknown agent: the callee hears the fallback', { callSid, agent: agentId });
    return xml(sayThenTwiml(fallback));
  }
  const answeredBy = params.get('AnsweredBy') ?? '';
  if (isMachine(answeredBy) && outbound.machine_detection !== 'off') {
    // A fax machine hears nothing useful: it gets the hang-up either way.
    const message = outbound.machine_detection === 'leave_message' && answeredBy !== 'fax' ? outbound.message : undefined;
    log.info('outbound call answered by a machine', { callSid, answeredBy, then: message === undefined ? 'hang_up' : 'message' });
    return xml(sayThenTwiml({ say: message === undefined ? undefined : renderCallFacts(message, facts) }));
  }
  return answerCall(ctx, request, agentId, facts);
}
