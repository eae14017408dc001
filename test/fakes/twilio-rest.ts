// A fake of Twilio's REST API for outbound calls, on loopback: `POST
// /2010-04-01/Accounts/{AccountSid}/Calls.json` with Basic auth and a form body, answered as Twilio
// does (201 and a call resource, or its error JSON {code, message, more_info, status}). Then it plays
// the phone network: `answer` requests the call's Url as Twilio does once someone picks up (signed,
// Direction=outbound-api, AnsweredBy when detection was asked for), through the FakeTwilio that
// signs everything else, so the human case can go on to its media stream with `twilio.call`; and
// `status` sends the call's StatusCallback (signed) for a progress event or its ending, as Twilio
// does for the events the create asked for. `requests` holds every create it was asked for, refused
// or not, so a test can say that nothing was sent.
import { E164 } from '../../src/config/schema/call-control-schema.ts';
import type { FakeTwilio } from './twilio/fake-twilio.ts';
import { newCallSid } from './twilio/ids.ts';
import type { WebhookResult } from './twilio/webhook.ts';

export interface TwilioError {
  status: number;
  code: number;
  message: string;
}

export interface RestRequest {
  method: string;
  path: string;
  authorization: string | null;
  contentType: string | null;
  /** A list parameter sent once per value (StatusCallbackEvent) is its values joined by spaces. */
  form: Record<string, string>;
}

/** CallStatus in a status callback: progress (queued is never called back), or how the call ended. */
export type CallStatus = 'initiated' | 'ringing' | 'in-progress' | 'completed' | 'busy' | 'no-answer' | 'failed' | 'canceled';

export interface CreatedCall {
  sid: string;
  form: Record<string, string>;
}

export interface FakeTwilioRestOptions {
  accountSid: string;
  /** Basic-auth pairs accepted: [AccountSid, AuthToken] and/or [API key SID, secret]. */
  credentials: [string, string][];
  /** When given, From must be one of these (else 21210, as for a number the account does not own). */
  numbers?: string[];
}

export interface FakeTwilioRest {
  readonly baseUrl: string;
  readonly requests: RestRequest[];
  readonly calls: CreatedCall[];
  /** The next create is refused with this (then it answers normally again). */
  refuseNext(error: TwilioError): void;
  /** Someone (or something) picked up: Twilio requests the call's Url, and the TwiML comes back. */
  answer(callSid: string, twilio: FakeTwilio, answeredBy?: string): Promise<WebhookResult>;
  /**
   * The call got this far (or ended so): Twilio requests its StatusCallback, signed, if the create
   * asked for the event (`completed`, which every ending is, always is when there is a callback).
   * Undefined when no callback is due.
   */
  status(callSid: string, twilio: FakeTwilio, status: CallStatus): Promise<WebhookResult | undefined>;
  [Symbol.asyncDispose](): Promise<void>;
}

const twilioError = ({ status, code, message }: TwilioError) =>
  Response.json({ code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status }, { status });

/** Twilio's checks on a new call, in its words, for the mistakes switchboard could make. */
function invalid(form: Record<string, string>, numbers: string[] | undefined): TwilioError | undefined {
  const { To: to, From: from, Url: url } = form;
  if (!to) return { status: 400, code: 21201, message: "No 'To' number is specified" };
  if (!E164.test(to)) return { status: 400, code: 21211, message: `The 'To' number ${to} is not a valid phone number.` };
  if (!from) return { status: 400, code: 21213, message: "No 'From' number is specified" };
  if (numbers && !numbers.includes(from)) {
    return { status: 400, code: 21210, message: `The source phone number provided, ${from}, is not yet verified for your account. You may only make calls from phone numbers that you've verified or purchased from Twilio.` };
  }
  if (!url || !/^https?:\/\//.test(url)) return { status: 400, code: 21205, message: 'Url is not a valid URL.' };
  const callback = form.StatusCallback;
  if (callback !== undefined && !/^https?:\/\/[^/\s]+/.test(callback)) return { status: 400, code: 21609, message: "Invalid 'StatusCallback'" };
  const events = (form.StatusCallbackEvent ?? '').split(' ').filter(Boolean);
  if (events.some((event) => !STATUS_EVENTS.includes(event))) return { status: 400, code: 21626, message: "Invalid 'StatusCallbackEvent'" };
  return undefined;
}

const STATUS_EVENTS = ['initiated', 'ringing', 'answered', 'completed'];
/** The event a CallStatus is reported under: every ending is `completed`. */
const eventOf = (status: CallStatus) => (status === 'initiated' || status === 'ringing' ? status : status === 'in-progress' ? 'answered' : 'completed');

/** A form body as Twilio reads it: a key sent several times (a list parameter) keeps every value. */
function readForm(body: string): Record<string, string> {
  const form: Record<string, string> = {};
  for (const [key, value] of new URLSearchParams(body)) form[key] = key in form ? `${form[key]} ${value}` : value;
  return form;
}

export function startFakeTwilioRest(options: FakeTwilioRestOptions): FakeTwilioRest {
  const requests: RestRequest[] = [];
  const calls: CreatedCall[] = [];
  let refusal: TwilioError | undefined;
  const accepted = new Set(options.credentials.map(([user, pass]) => `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`));
  const server = Bun.serve({
    port: 0,
    hostname: '127.0.0.1',
    routes: {
      '/2010-04-01/Accounts/:account/Calls.json': async (req) => {
        const form = readForm(await req.text());
        const authorization = req.headers.get('authorization');
        requests.push({ method: req.method, path: new URL(req.url).pathname, authorization, contentType: req.headers.get('content-type'), form });
        if (!authorization || !accepted.has(authorization) || req.params.account !== options.accountSid) {
          return twilioError({ status: 401, code: 20003, message: 'Authenticate' });
        }
        if (req.method !== 'POST') return twilioError({ status: 405, code: 20004, message: 'Method not allowed' });
        const refused = refusal ?? invalid(form, options.numbers);
        refusal = undefined;
        if (refused) return twilioError(refused);
        const sid = newCallSid();
        calls.push({ sid, form });
        const now = new Date().toUTCString();
        return Response.json(
          {
            sid,
            account_sid: options.accountSid,
            to: form.To,
            from: form.From,
            status: 'queued',
            direction: 'outbound-api',
            api_version: '2010-04-01',
            date_created: now,
            date_updated: now,
            uri: `/2010-04-01/Accounts/${options.accountSid}/Calls/${sid}.json`,
          },
          { status: 201 },
        );
      },
    },
    fetch: () => twilioError({ status: 404, code: 20404, message: 'The requested resource was not found' }),
  });


  /** What Twilio sends about an outbound call in every request it makes for it. */
  const callParams = (callSid: string, from: string, to: string, callStatus: string): Record<string, string> => ({
    CallSid: callSid,
    AccountSid: options.accountSid,
    From: from,
    To: to,
    Called: to,
    Caller: from,
    CallStatus: callStatus,
    Direction: 'outbound-api',
    ApiVersion: '2010-04-01',
  });

  const answer = (callSid: string, twilio: FakeTwilio, answeredBy?: string) => {
    const call = calls.find((c) => c.sid === callSid);
    if (!call) throw new Error(`FakeTwilioRest: no call ${callSid} was created`);
    const { To: to, From: from, Url: url, Method: method, MachineDetection: detection } = call.form;
    // Twilio says who answered only when asked to find out; a test that expects otherwise is wrong.
    if (answeredBy !== undefined && !detection) throw new Error('FakeTwilioRest: AnsweredBy without MachineDetection');
    const params = callParams(callSid, from!, to!, 'in-progress');
    if (detection) params.AnsweredBy = answeredBy ?? 'human';
    return twilio.request(url!, params, { method: method === 'GET' ? 'GET' : 'POST' });
  };

  const sequence = new Map<string, number>();
  const status = async (callSid: string, twilio: FakeTwilio, callStatus: CallStatus) => {
    const call = calls.find((c) => c.sid === callSid);
    if (!call) throw new Error(`FakeTwilioRest: no call ${callSid} was created`);
    const { To: to, From: from, StatusCallback: callback, StatusCallbackMethod: method, StatusCallbackEvent: asked } = call.form;
    const event = eventOf(callStatus);
    // Without StatusCallbackEvent, Twilio calls back on `completed` only.
    if (!callback || (event !== 'completed' && !(asked ?? '').split(' ').includes(event))) return undefined;
    const n = sequence.get(callSid) ?? 0;
    sequence.set(callSid, n + 1);
    const params: Record<string, string> = {
      ...callParams(callSid, from!, to!, callStatus),
      CallbackSource: 'call-progress-events',
      SequenceNumber: String(n),
      Timestamp: new Date().toUTCString(),
    };
    if (event === 'completed') Object.assign(params, { CallDuration: '0', Duration: '0' });
    return twilio.request(callback, params, { method: method === 'GET' ? 'GET' : 'POST' });
  };

  const stop = async () => void (await server.stop(true));
  return {
    baseUrl: `http://127.0.0.1:${server.port}`,
    requests,
    calls,
    refuseNext: (error) => void (refusal = error),
    answer,
    status,
    [Symbol.asyncDispose]: stop,
  };
}
