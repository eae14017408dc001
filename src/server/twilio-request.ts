// Every request Twilio makes to us (voice webhook, <Connect action>) passes the same gate:
// method, size, content type, then signature, before any work is done for it.
import type { Logger } from '../log/logger.ts';
import { verifyWebhook } from '../twilio/signature.ts';
import type { ServerSettings } from './settings.ts';

export const MAX_WEBHOOK_BODY_BYTES = 64 * 1024;

const text = (status: number, body: string, headers: Record<string, string> = {}) =>
  new Response(`${body}\n`, { status, headers });

/** The request's Twilio parameters (form body, or query for GET), or the refusal to send. */
export async function readTwilioRequest(
  request: Request,
  settings: ServerSettings,
  log: Logger,
): Promise<URLSearchParams | Response> {
  const url = new URL(request.url);
  if (request.method !== 'GET' && request.method !== 'POST') {
    return text(405, 'Method Not Allowed', { allow: 'GET, POST' });
  }
  let form: URLSearchParams | undefined;
  let rawBody: string | undefined;
  if (request.method === 'POST') {
    const length = Number(request.headers.get('content-length') ?? 0);
    if (length > MAX_WEBHOOK_BODY_BYTES) return text(413, 'Payload Too Large');
    const type = (request.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
    const json = type === 'application/json' && url.searchParams.has('bodySHA256');
    if (type !== 'application/x-www-form-urlencoded' && !json) return text(415, 'Unsupported Media Type');
    const body = await request.arrayBuffer();
    // Chunked bodies carry no length up front: check what actually arrived.
    if (body.byteLength > MAX_WEBHOOK_BODY_BYTES) return text(413, 'Payload Too Large');
    rawBody = new TextDecoder().decode(body);
    if (!json) form = new URLSearchParams(rawBody);
  }
  if (settings.authToken && settings.publicUrl) {
    const signature = request.headers.get('x-twilio-signature');
    if (!verifyWebhook(settings.authToken, settings.publicUrl, { url, signature, form, rawBody })) {
      log.warn('webhook refused: bad signature', { path: url.pathname });
      return text(403, 'Forbidden');
    }
  }
  return form ?? url.searchParams;
}
