// Twilio's voice webhook: verify, then answer with TwiML that connects the caller to the entry
// agent's media stream.
import type { AgentSet } from '../agents/compile.ts';
import type { Logger } from '../log/logger.ts';
import { verifyWebhook } from '../twilio/signature.ts';
import { streamTwiml } from '../twilio/twiml.ts';
import type { ServerSettings } from './settings.ts';

export const MEDIA_STREAM_PATH = '/media-stream';

/** Spoken if our side ends the stream (upstream failure): never leave a caller in silence. */
export const FALLBACK_SAY = 'Sorry, something went wrong on our side. Please call again later.';

export function streamUrl(settings: ServerSettings, request: Request): string {
  if (settings.publicUrl) return settings.publicUrl.replace(/^http/, 'ws') + MEDIA_STREAM_PATH;
  // --insecure without PUBLIC_URL: trust Host, as the SDK's example does. Local experiments only.
  return `wss://${request.headers.get('host') ?? 'localhost'}${MEDIA_STREAM_PATH}`;
}

const xml = (body: string) => new Response(body, { headers: { 'content-type': 'text/xml; charset=utf-8' } });

export async function incomingCall(request: Request, agentSet: AgentSet, settings: ServerSettings, log: Logger): Promise<Response> {
  const url = new URL(request.url);
  const rawBody = request.method === 'POST' ? await request.text() : undefined;
  const form = rawBody !== undefined && !url.searchParams.has('bodySHA256') ? new URLSearchParams(rawBody) : undefined;
  const params = form ?? url.searchParams;
  const callSid = params.get('CallSid') ?? undefined;

  if (settings.authToken && settings.publicUrl) {
    const signature = request.headers.get('x-twilio-signature');
    if (!verifyWebhook(settings.authToken, settings.publicUrl, { url, signature, form, rawBody })) {
      log.warn('webhook refused: bad signature', { path: url.pathname, callSid });
      return new Response('Forbidden\n', { status: 403 });
    }
  }

  const agentId = agentSet.entryId;
  const agent = agentSet.config.agents[agentId];
  log.info('incoming call', { callSid, agent: agentId });
  const twiml = streamTwiml({
    say: agent?.say,
    streamUrl: streamUrl(settings, request),
    parameters: { agent: agentId },
    fallbackSay: FALLBACK_SAY,
  });
  return xml(twiml);
}
