// Twilio request signatures (X-Twilio-Signature), checked against the configured public origin.
// The URL is never rebuilt from Host, Forwarded or X-Forwarded-*: an attacker controls those.
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/** base64(HMAC-SHA1(authToken, url + each param as key+value, keys sorted, repeated values sorted)). */
export function twilioSignature(authToken: string, url: string, params?: URLSearchParams): string {
  let data = url;
  if (params) {
    const keys = [...new Set(params.keys())].sort();
    for (const key of keys) {
      for (const value of params.getAll(key).sort()) data += key + value;
    }
  }
  return createHmac('sha1', authToken).update(data, 'utf8').digest('base64');
}

function sameSignature(expected: string, given: string | null): boolean {
  if (!given) return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * Verifies a webhook. `form` is the parsed urlencoded body for POSTs (undefined for GET, which
 * signs the URL only). A JSON body is signed via a `bodySHA256` query parameter instead.
 */
export function verifyWebhook(
  authToken: string,
  publicOrigin: string,
  request: { url: URL; signature: string | null; form?: URLSearchParams; rawBody?: string },
): boolean {
  const signedUrl = publicOrigin + request.url.pathname + request.url.search;
  const bodyHash = request.url.searchParams.get('bodySHA256');
  if (bodyHash !== null) {
    const actual = createHash('sha256').update(request.rawBody ?? '', 'utf8').digest('hex');
    if (!sameSignature(actual, bodyHash)) return false;
    return sameSignature(twilioSignature(authToken, signedUrl), request.signature);
  }
  return sameSignature(twilioSignature(authToken, signedUrl, request.form), request.signature);
}

/**
 * Verifies a media-stream WebSocket upgrade: Twilio signs `wss://HOST/path` with no parameters.
 * A query string is refused outright (our stream URL never has one); a trailing `/` is accepted.
 */
export function verifyStreamUpgrade(
  authToken: string,
  publicOrigin: string,
  request: { url: URL; signature: string | null },
): boolean {
  if (request.url.search !== '') return false;
  const wssOrigin = publicOrigin.replace(/^https:/, 'wss:').replace(/^http:/, 'ws:');
  const path = request.url.pathname;
  const variants = path.endsWith('/') ? [path, path.slice(0, -1)] : [path, `${path}/`];
  return variants.some((p) => sameSignature(twilioSignature(authToken, wssOrigin + p), request.signature));
}
