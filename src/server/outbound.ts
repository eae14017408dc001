// Outbound calls on the server. POST /calls (admin) places one through Twilio's REST API;
// /outbound-call is what Twilio requests once it is answered: a person (or Twilio cannot tell) gets
// the agent exactly as an inbound caller does (answerCall: pre-warm, stream token), an answering
// machine gets the configured message or a hang-up, with no Realtime session opened for it.
import type { CallFacts } from '../agents/line.ts';
import { renderCallFacts } from '../agents/line.ts';
import { maskNumber } from '../log/logger.ts';
import { checkOutbound, machineDetection, placeOutbound, readAnswerUrl } from '../outbound/request.ts';
import { TwilioApiError } from '../twilio/rest.ts';
import { sayThenTwiml } from '../twilio/twiml.ts';
import { atCapacity } from './admin.ts';
import type { ServerContext } from './context.ts';
import { readTwilioRequest } from './twilio-request.ts';
import { answerCall } from './webhook.ts';

const text = (status: number, body: string) => new Response(`${body}\n`, { status, headers: { 'content-type': 'text/plain; charset=utf-8' } });
const xml = (body: string) => new Response(body, { headers: { 'content-type': 'text/xml; charset=utf-8' } });

/** POST /calls `{to, agent?, from?, parameters?}`: 201 `{callSid, to, from, agent, status}` once Twilio queued it. */
export async function placeCall(request: Request, ctx: ServerContext): Promise<Response> {
  const { settings, agentSet, log } = ctx;
  if (!settings.twilio) {
    return text(503, 'outbound calls are off: set TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN (or TWILIO_API_KEY and TWILIO_API_SECRET) and restart');
  }
  if (!settings.publicUrl) return text(503, 'outbound calls need PUBLIC_URL: Twilio requests PUBLIC_URL/outbound-call when the call is answered');
  if (ctx.draining) return text(503, 'draining: not placing new calls');
  // A call placed at capacity would only reach the busy message once answered: refuse it here.
  // Calls ringing and not yet answered are not counted; the webhook still turns away any excess.
  const active = atCapacity(ctx);
  if (active !== undefined) {
    const limit = agentSet.config.limits.max_concurrent_calls;
    return text(503, `at capacity: ${active} of ${limit} calls (limits.max_concurrent_calls) in progress; try again when one ends`);
  }
  const type = (request.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== 'application/json') return text(415, 'send the call as JSON with Content-Type: application/json, e.g. {"to": "+15551234567"}');
  let body: unknown;
  try {
    body = await request.json();
  } catch {
    return text(400, 'the body is not JSON; send e.g. {"to": "+15551234567"}');
  }
  const call = checkOutbound(body, { config: agentSet.config, envFrom: settings.twilioFrom, publicUrl: settings.publicUrl });
  if (Array.isArray(call)) return text(400, call.join('\n'));
  // The callee's number is personal data: logs show its last four digits.
  const fields = { to: maskNumber(call.to), agent: call.agent, machineDetection: machineDetection(agentSet.config) };
  try {
    const placed = await placeOutbound(settings.twilio, settings.publicUrl, call, agentSet.config);
    log.info('outbound call placed', { callSid: placed.sid, ...fields });
    return Response.json({ callSid: placed.sid, to: call.to, from: call.from, agent: call.agent, status: placed.status }, { status: 201 });
  } catch (error) {
    if (!(error instanceof TwilioApiError)) throw error;
    // Twilio's message may quote the number, so the log gets the code, the admin the whole line.
    log.warn('outbound call not placed', { ...fields, status: error.status, code: error.code });
    // Twilio's 400 is about this request (a number it will not call); anything else is on our side or Twilio's.
    return text(error.status === 400 ? 400 : 502, error.message);
  }
}

const isMachine = (answeredBy: string) => answeredBy.startsWith('machine_') || answeredBy === 'fax';

/** /outbound-call: Twilio's request once an outbound call is answered (signed over the URL with its query). */
export async function outboundAnswered(request: Request, ctx: ServerContext): Promise<Response> {
  const params = await readTwilioRequest(request, ctx.settings, ctx.log);
  if (params instanceof Response) return params;
  const callSid = params.get('CallSid');
  if (!callSid) return text(400, 'CallSid missing');
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
