// Runs an http tool's request and turns whatever happens into words for the model: the answer
// (JSON or text, capped), or a short error it can tell the caller about. Nothing here throws at
// the call: a failing service costs one answer, never the call. Header values (secrets, from
// ${ENV}) and the signing secret never appear in what it returns, in any encoding
// (secret-masking.ts); the headers go to the origin the YAML names or nowhere (http-request.ts).
import { createHmac } from 'node:crypto';
import type { HttpConfig } from '../config/schema/schema.ts';
import { ArgumentError, buildRequest, OriginError, type HttpRequestPlan } from './http-request.ts';
import { headerSecrets, maskWith, MIN_SECRET_CHARS, secretPatterns } from './secret-masking.ts';
import pkg from '../../package.json' with { type: 'json' };

export const SIGNATURE_HEADER = 'X-Switchboard-Signature';
export const TIMESTAMP_HEADER = 'X-Switchboard-Timestamp';

/** What the model gets; `failed` marks an error (see tool-outcome.ts). */
export interface HttpOutcome {
  text: string;
  failed: boolean;
}

class TooLarge extends Error {}

/** `v1=` + hex HMAC-SHA256 over `<timestamp>.<body>`, keyed by the shared secret (docs/tools.md, "Signed requests"). */
export function signature(secret: string, timestamp: string, body: string): string {
  return `v1=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

export async function runHttpTool(
  id: string,
  http: HttpConfig,
  values: Record<string, unknown>,
  signingSecret: string | undefined,
): Promise<HttpOutcome> {
  const failed = (why: string): HttpOutcome => ({ text: `${id} failed: ${why}`, failed: true });
  let plan: HttpRequestPlan;
  try {
    plan = buildRequest(http, values);
  } catch (error) {
    if (error instanceof ArgumentError || error instanceof OriginError) return failed(error.message);
    return failed('the request could not be built from these arguments, so nothing was sent');
  }
  const headers = new Headers({ 'User-Agent': `switchboard/${pkg.version}` });
  if (plan.body !== undefined) headers.set('Content-Type', 'application/json');
  for (const [name, value] of Object.entries(http.headers ?? {})) headers.set(name, value);
  if (http.sign) {
    if (!signingSecret) return failed('TOOL_SIGNING_SECRET is not set, so the request cannot be signed');
    const timestamp = String(Math.floor(Date.now() / 1000));
    headers.set(TIMESTAMP_HEADER, timestamp);
    headers.set(SIGNATURE_HEADER, signature(signingSecret, timestamp, plan.body ?? ''));
  }

  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), http.timeout_ms);
  try {
    // Redirects are not followed: the secret headers stay with the host the YAML names.
    const response = await fetch(plan.url, { method: plan.method, headers, body: plan.body, redirect: 'manual', signal: abort.signal });
    if (response.status < 200 || response.status > 299) {
      await response.body?.cancel().catch(() => {});
      return failed(`the service answered ${response.status}${response.statusText ? ` ${response.statusText}` : ''}`);
    }
    const text = await readCapped(response, http.max_response_bytes);
    return { text: answerText(text, response), failed: false };
  } catch (error) {
    if (abort.signal.aborted) return failed(`the service did not answer within ${http.timeout_ms} ms`);
    if (error instanceof TooLarge) return failed(`the answer was larger than ${http.max_response_bytes} bytes`);
    const code = (error as { code?: unknown }).code;
    return failed(`could not reach the service${typeof code === 'string' ? ` (${code})` : ''}`);
  } finally {
    clearTimeout(timer);
  }
}

/** The body as text, refusing (as soon as it shows) one larger than `max` bytes. */
async function readCapped(response: Response, max: number): Promise<string> {
  const declared = Number(response.headers.get('content-length') ?? NaN);
  if (declared > max) {
    await response.body?.cancel().catch(() => {});
    throw new TooLarge();
  }
  const chunks: Uint8Array[] = [];
  let total = 0;
  const reader = response.body?.getReader();
  for (;;) {
    const next = await reader?.read();
    if (next === undefined || next.done) break;
    total += next.value.byteLength;
    if (total > max) {
      await reader?.cancel().catch(() => {});
      throw new TooLarge();
    }
    chunks.push(next.value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** JSON answers go back compact; anything else as text. */
function answerText(text: string, response: Response): string {
  if (text.trim() === '') return `done (HTTP ${response.status}, no content)`;
  if (!/\bjson\b/i.test(response.headers.get('content-type') ?? '')) return text;
  try {
    return JSON.stringify(JSON.parse(text));
  } catch {
    return text;
  }
}

/** Every header value a response might echo back that must not reach the model or a log. */
export function secretsOf(http: HttpConfig, signingSecret: string | undefined): string[] {
  const values = Object.entries(http.headers ?? {})
    .filter(([name]) => !/^(content-type|accept|user-agent)$/i.test(name))
    .flatMap(([, value]) => headerSecrets(value));
  if (http.sign && signingSecret) values.push(signingSecret);
  return [...new Set(values.filter((v) => v.length >= MIN_SECRET_CHARS))].sort((a, b) => b.length - a.length);
}

/** `text` with each of `secrets` masked, verbatim or encoded (base64, hex, URL, any case). */
export function maskSecrets(text: string, secrets: readonly string[]): string {
  return maskWith(text, secretPatterns(secrets));
}

/** maskSecrets with its patterns built once, for a tool that masks every answer. */
export function secretMasker(secrets: readonly string[]): (text: string) => string {
  const patterns = secretPatterns(secrets);
  return (text) => maskWith(text, patterns);
}
