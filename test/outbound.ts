// Outbound calls in tests: a server whose POST /calls goes to a fake Twilio REST API, and the
// request an admin sends. Shared by the outbound end-to-end tests.
import { newAccountSid } from './fakes/twilio-caller.ts';
import { startFakeTwilioRest } from './fakes/twilio-rest.ts';
import { ADMIN_TOKEN, AUTH_TOKEN, PUBLIC_URL, startHarness, type Harness, type HarnessOptions } from './harness.ts';

export const ACCOUNT = newAccountSid();
/** The account's number, which calls come from. */
export const OWNED = '+15550001111';
/** The person called: personal data, never logged in full. */
export const CALLEE = '+15557654321';
export const AGENTS = `
agents:
  greeter: { instructions: "Front desk." }
  reminder:
    instructions: "Remind {{call.param.name}} at {{call.to}} of order {{call.param.order}} ({{call.direction}})."
    say: "Hello {{call.param.name}}"
`;

/** What every placed call asks of Twilio besides the call: the status callback, and how long it may ring. */
export const STATUS_CALLBACK = {
  StatusCallback: `${PUBLIC_URL}/outbound-status`,
  StatusCallbackMethod: 'POST',
  StatusCallbackEvent: 'initiated ringing answered completed',
  Timeout: '60',
};

/** A server (TWILIO_FROM=OWNED) whose outbound calls go to a fake Twilio REST API owning OWNED. */
export async function outboundHarness(yaml: string, options: Omit<HarnessOptions, 'yaml' | 'settings'> = {}) {
  const rest = startFakeTwilioRest({ accountSid: ACCOUNT, credentials: [[ACCOUNT, AUTH_TOKEN]], numbers: [OWNED] });
  const h = await startHarness({
    ...options,
    yaml,
    settings: { twilio: { apiBase: rest.baseUrl, accountSid: ACCOUNT, username: ACCOUNT, password: AUTH_TOKEN }, twilioFrom: OWNED },
  });
  return { rest, h };
}

/** POST /calls as an admin (a JSON body unless `body` is already a string). */
export function postCall(h: Harness, body: unknown, headers: Record<string, string> = {}) {
  return fetch(`${h.switchboard.url.origin}/calls`, {
    method: 'POST',
    headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

export interface Placed {
  callSid: string;
  to: string;
  from: string;
  agent: string;
  status: string;
}

/** POST /calls that must succeed: its 201 JSON. */
export async function placeCall(h: Harness, body: unknown): Promise<Placed> {
  const r = await postCall(h, body);
  if (r.status !== 201) throw new Error(`POST /calls answered ${r.status}: ${await r.text()}`);
  return (await r.json()) as Placed;
}
