// The caller's two kinds of request to the server, signed as Twilio signs them, bounded in time,
// and failing with one line that says what went wrong (outcome.ts judges it).
import { twilioSignature } from '../twilio/signature.ts';
import { Refusal, refusedBecause } from './outcome.ts';

/** Twilio gives up on a webhook after 15 s (its default read timeout). */
const HTTP_TIMEOUT_MS = 15_000;
const UPGRADE_TIMEOUT_MS = 10_000;

export interface Target {
  /** Where the server listens (requests go here)... */
  url: string;
  /** ...and what it is signed for. */
  authToken?: string;
}

/** A signed form POST to `publicUrl`, sent to `target.url` with the same path. `what` names it in errors. */
export async function post(target: Target, publicUrl: string, params: Record<string, string>, what: string): Promise<Response> {
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
  if (target.authToken) headers['x-twilio-signature'] = twilioSignature(target.authToken, publicUrl, new URLSearchParams(params));
  const { pathname, search } = new URL(publicUrl);
  try {
    return await fetch(target.url.replace(/\/+$/, '') + pathname + search, {
      method: 'POST',
      headers,
      body: new URLSearchParams(params),
      signal: AbortSignal.timeout(HTTP_TIMEOUT_MS),
    });
  } catch (error) {
    const e = error as { name?: string; code?: string; message?: string };
    if (e.name === 'TimeoutError') throw new Error(`${what} did not answer within ${HTTP_TIMEOUT_MS / 1000} s`);
    if (e.code === 'ECONNREFUSED') throw new Error(`cannot reach ${target.url}: connection refused (is switchboard running there?)`);
    throw new Error(`cannot reach ${target.url}: ${e.message ?? String(error)}`);
  }
}

/** The media stream socket for `streamUrl` (signed over it), open; a refused upgrade is a Refusal. */
export async function openStream(target: Target, streamUrl: string): Promise<WebSocket> {
  const headers: Record<string, string> = {};
  if (target.authToken) headers['x-twilio-signature'] = twilioSignature(target.authToken, streamUrl);
  const path = new URL(streamUrl).pathname;
  const ws = new WebSocket(target.url.replace(/^http/, 'ws').replace(/\/+$/, '') + path, { headers } as never);
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(new Error(`the media stream ${path} did not open within ${UPGRADE_TIMEOUT_MS / 1000} s`));
      ws.close();
    }, UPGRADE_TIMEOUT_MS);
    ws.onopen = () => (clearTimeout(timer), resolve());
    ws.onerror = (event) => {
      clearTimeout(timer);
      // Bun names the HTTP status of a refused upgrade only in its message: "Expected 101 status code: 403".
      const message = (event as ErrorEvent).message ?? '';
      const status = Number(/status code: (\d+)/.exec(message)?.[1]);
      if (status) reject(new Refusal('refused', refusedBecause(`the media stream upgrade (${path})`, status, '', Boolean(target.authToken))));
      else reject(new Error(`the media stream ${path} failed: ${message || 'connection error'}`));
    };
  });
  return ws;
}
