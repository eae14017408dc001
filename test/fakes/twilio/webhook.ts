// The HTTP requests Twilio sends (voice webhook, `<Connect action>`): params, signature, answer.
import { randomUUID } from 'node:crypto';
import type { FakeTwilio } from './fake-twilio.ts';
import { newCallSid } from './ids.ts';
import { parseTwiml, type ParsedTwiml } from './twiml.ts';

export interface TwilioCallParams {
  CallSid: string;
  AccountSid: string;
  From: string;
  To: string;
  Called: string;
  Caller: string;
  CallStatus: string;
  Direction: string;
  ApiVersion: string;
}

/** Webhook params: defaults are overridden; a key set to `undefined` is left out. */
export type WebhookParams = Partial<TwilioCallParams> & Record<string, string | undefined>;

export interface WebhookOptions {
  /** Path (with optional query) under both publicUrl and serverUrl (default '/incoming-call'). */
  path?: string;
  /** Extra or overriding request headers (e.g. a forged `Host` or `X-Forwarded-Host`). */
  headers?: Record<string, string>;
  /** Sign the request (default: true when an authToken is configured). */
  sign?: boolean;
  /** Twilio sends GET with the params in the query string, signing the URL only. */
  method?: 'POST' | 'GET';
}

export interface WebhookResult {
  status: number;
  body: string;
  headers: Headers;
  /** Parsed when the body is XML (a body that looks like XML but does not parse throws). */
  twiml?: ParsedTwiml;
  /** The params sent. */
  params: Record<string, string>;
  /** The URL signed (public), and the signature sent, if any. */
  signedUrl: string;
  signature?: string;
}

/** The caller's and the called numbers when the params do not say. */
export const DEFAULT_FROM = '+14155550100';
export const DEFAULT_TO = '+14155550199';

/** The params of an incoming call's voice webhook, with `overrides` applied. */
export function incomingCallParams(accountSid: string, overrides: WebhookParams): Record<string, string> {
  const from = overrides.From ?? DEFAULT_FROM;
  const to = overrides.To ?? DEFAULT_TO;
  const params: Record<string, string> = {
    CallSid: newCallSid(),
    AccountSid: accountSid,
    From: from,
    To: to,
    Called: to,
    Caller: from,
    CallStatus: 'ringing',
    Direction: 'inbound',
    ApiVersion: '2010-04-01',
    FromCountry: 'US',
    ToCountry: 'US',
  };
  for (const [k, v] of Object.entries(overrides)) {
    if (v === undefined) delete params[k];
    else params[k] = v;
  }
  return params;
}

/** The params of a request about a call in progress (e.g. to its `<Connect action>`). */
export function callInProgressParams(call: { accountSid: string; callSid: string; from: string; to: string }): Record<string, string> {
  return {
    AccountSid: call.accountSid,
    CallSid: call.callSid,
    From: call.from,
    To: call.to,
    Called: call.to,
    Caller: call.from,
    CallStatus: 'in-progress',
    Direction: 'inbound',
    ApiVersion: '2010-04-01',
  };
}

/** A Twilio request to `publicUrl`, signed over it exactly as given, sent to the server URL. */
export async function sendTwilioRequest(
  twilio: Pick<FakeTwilio, 'authToken' | 'signature' | 'toServerUrl'>,
  publicUrl: string,
  params: Record<string, string>,
  opts: Omit<WebhookOptions, 'path'>,
): Promise<WebhookResult> {
  const method = opts.method ?? 'POST';
  const sign = opts.sign ?? twilio.authToken !== undefined;
  let signedUrl = publicUrl;
  let body: string | undefined;
  if (method === 'GET') {
    const query = new URLSearchParams(params).toString();
    if (query) signedUrl += (publicUrl.includes('?') ? '&' : '?') + query;
  } else {
    body = new URLSearchParams(params).toString();
  }
  const headers = new Headers({ 'User-Agent': 'TwilioProxy/1.1', Accept: '*/*', 'I-Twilio-Idempotency-Token': randomUUID() });
  if (method === 'POST') headers.set('Content-Type', 'application/x-www-form-urlencoded; charset=utf-8');
  let signature: string | undefined;
  if (sign) {
    signature = twilio.signature(signedUrl, method === 'GET' ? {} : params);
    headers.set('X-Twilio-Signature', signature);
  }
  for (const [k, v] of Object.entries(opts.headers ?? {})) headers.set(k, v);
  const response = await fetch(twilio.toServerUrl(signedUrl), { method, headers, body, redirect: 'manual' });
  const text = await response.text();
  const result: WebhookResult = { status: response.status, body: text, headers: response.headers, params, signedUrl, signature };
  if (text.trimStart().startsWith('<')) {
    try {
      result.twiml = parseTwiml(text);
    } catch (error) {
      throw new Error(`FakeTwilio: ${method} ${signedUrl} answered ${response.status} with TwiML that does not parse: ${(error as Error).message}\n${text}`);
    }
  }
  return result;
}
