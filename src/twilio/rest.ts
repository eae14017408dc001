// Twilio's REST API, for the one request switchboard makes of it: create an outbound call (with
// the status callback that says when one ends unanswered).
// A small fetch client rather than the `twilio` package: one form-encoded POST with Basic auth is
// all it takes, while the package (~21 MB with axios and Node-specific plumbing) would become a
// runtime dependency of the compiled binary for it.
import { errorMessage, redactUrlQueries } from '../log/logger.ts';

export const DEFAULT_TWILIO_API_BASE = 'https://api.twilio.com';
const TIMEOUT_MS = 15_000;

export interface TwilioRest {
  /** Origin (and optional path prefix), no trailing slash, e.g. https://api.twilio.com */
  apiBase: string;
  accountSid: string;
  /** Basic auth: the account SID and its auth token, or an API key SID and its secret. */
  username: string;
  password: string;
}

/** Twilio's answering-machine detection: `Enable` decides at once, `DetectMessageEnd` waits for the beep. */
export type MachineDetection = 'Enable' | 'DetectMessageEnd';

export interface CreateCall {
  to: string;
  from: string;
  /** Twilio requests it (POST, signed) when the call is answered, and runs the TwiML it returns. */
  url: string;
  machineDetection?: MachineDetection;
  /** Twilio requests it (POST, signed) at each of `statusCallbackEvents`; the `completed` one says how the call ended (busy, no-answer, ...). */
  statusCallback?: string;
  statusCallbackEvents?: readonly StatusCallbackEvent[];
  /** Seconds the call may ring before Twilio gives up (no-answer); Twilio's default is 60. */
  timeoutSeconds?: number;
}

/** The progress events a status callback can be asked for (`completed` covers every ending). */
export type StatusCallbackEvent = 'initiated' | 'ringing' | 'answered' | 'completed';

export interface CallResource {
  sid: string;
  status: string;
}

/** A call Twilio did not create; `message` is one line a person can act on, without credentials. */
export class TwilioApiError extends Error {
  constructor(
    message: string,
    /** HTTP status from Twilio (0: no answer). */
    readonly status: number,
    readonly code?: number,
  ) {
    super(message);
  }
}

/** Twilio's own message for these says too little ("Authenticate"); say what to check instead. */
const HINTS: Record<number, string> = {
  20003: 'Twilio refused the credentials: check TWILIO_ACCOUNT_SID with TWILIO_AUTH_TOKEN, or TWILIO_API_KEY and TWILIO_API_SECRET',
  20404: 'Twilio does not know this account: check TWILIO_ACCOUNT_SID',
};

/** `POST /2010-04-01/Accounts/{AccountSid}/Calls.json`: the call is queued when this resolves. */
export async function createCall(rest: TwilioRest, call: CreateCall): Promise<CallResource> {
  const form = new URLSearchParams({ To: call.to, From: call.from, Url: call.url, Method: 'POST' });
  if (call.machineDetection) form.set('MachineDetection', call.machineDetection);
  if (call.statusCallback) {
    form.set('StatusCallback', call.statusCallback);
    form.set('StatusCallbackMethod', 'POST');
    // A list parameter: one StatusCallbackEvent per event, as Twilio's own clients send it.
    for (const event of call.statusCallbackEvents ?? []) form.append('StatusCallbackEvent', event);
  }
  if (call.timeoutSeconds !== undefined) form.set('Timeout', String(call.timeoutSeconds));
  const endpoint = `${rest.apiBase}/2010-04-01/Accounts/${encodeURIComponent(rest.accountSid)}/Calls.json`;
  let response: Response;
  try {
    response = await fetch(endpoint, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`${rest.username}:${rest.password}`).toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
        accept: 'application/json',
      },
      body: form,
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
  } catch (error) {
    const why = (error as { name?: unknown }).name === 'TimeoutError' ? `no answer within ${TIMEOUT_MS / 1000} s` : redactUrlQueries(errorMessage(error));
    throw new TwilioApiError(`cannot reach the Twilio API at ${rest.apiBase}: ${why}`, 0);
  }
  const body = (await response.json().catch(() => undefined)) as Record<string, unknown> | undefined;
  if (response.ok && typeof body?.sid === 'string') return { sid: body.sid, status: String(body.status ?? '') };
  throw refusal(response, body);
}

function refusal(response: Response, body: Record<string, unknown> | undefined): TwilioApiError {
  const code = typeof body?.code === 'number' ? body.code : undefined;
  const hint = code === undefined ? (response.status === 401 ? HINTS[20003] : undefined) : HINTS[code];
  if (hint) return new TwilioApiError(`${hint} (${code === undefined ? `HTTP ${response.status}` : `error ${code}`})`, response.status, code);
  if (code === undefined || typeof body?.message !== 'string') {
    const what = response.ok ? 'without a call SID' : 'without a Twilio error';
    return new TwilioApiError(`the Twilio API answered ${response.status} ${response.statusText} ${what}`.replace(/ {2,}/g, ' '), response.status);
  }
  const message = body.message.replace(/\s+/g, ' ').trim();
  const more = typeof body.more_info === 'string' ? `, ${body.more_info}` : '';
  return new TwilioApiError(`Twilio refused the call: ${message} (error ${code}${more})`, response.status, code);
}
