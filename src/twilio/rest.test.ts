// The REST client's answers when what comes back is not Twilio's JSON (a proxy, a gateway, a stub).
import { expect, test } from 'bun:test';
import { createCall, TwilioApiError } from './rest.ts';

const CALL = { to: '+15557654321', from: '+15550001111', url: 'https://voice.example.com/outbound-call?agent=a' };

async function failure(respond: () => Response): Promise<TwilioApiError> {
  using server = Bun.serve({ port: 0, hostname: '127.0.0.1', fetch: respond });
  const rest = { apiBase: `http://127.0.0.1:${server.port}`, accountSid: 'AC1', username: 'AC1', password: 'secret-password' };
  const error = await createCall(rest, CALL).then(() => undefined, (e: unknown) => e);
  if (!(error instanceof TwilioApiError)) throw new Error(`expected a TwilioApiError, got ${String(error)}`);
  expect(error.message).not.toContain('secret-password');
  return error;
}

test('an HTML error page from a proxy: its status, in one line', async () => {
  const error = await failure(() => new Response('<html>\n<h1>Bad Gateway</h1>\n</html>', { status: 502, statusText: 'Bad Gateway' }));
  expect(error.message).toBe('the Twilio API answered 502 Bad Gateway without a Twilio error');
  expect(error.status).toBe(502);
});

test('a 401 without a body still says which credentials to check', async () => {
  const error = await failure(() => new Response('', { status: 401 }));
  expect(error.message).toBe('Twilio refused the credentials: check TWILIO_ACCOUNT_SID with TWILIO_AUTH_TOKEN, or TWILIO_API_KEY and TWILIO_API_SECRET (HTTP 401)');
});

test('a 2xx that is not a call resource is not taken for a placed call', async () => {
  const error = await failure(() => Response.json({ ok: true }));
  expect(error.message).toBe('the Twilio API answered 200 OK without a call SID');
});

test("Twilio's error JSON: its message on one line, its code and link", async () => {
  const body = { code: 21215, message: 'Account not authorized\nto call +4930123.', more_info: 'https://www.twilio.com/docs/errors/21215', status: 400 };
  const error = await failure(() => Response.json(body, { status: 400 }));
  expect(error.message).toBe('Twilio refused the call: Account not authorized to call +4930123. (error 21215, https://www.twilio.com/docs/errors/21215)');
  expect(error.code).toBe(21215);
});

test('the status callback, its events (one parameter each, as a list) and the ring timeout go in the form', async () => {
  let form = '';
  using server = Bun.serve({
    port: 0,
    hostname: '127.0.0.1',
    fetch: async (req) => {
      form = await req.text();
      return Response.json({ sid: 'CA1', status: 'queued' }, { status: 201 });
    },
  });
  const rest = { apiBase: `http://127.0.0.1:${server.port}`, accountSid: 'AC1', username: 'AC1', password: 'p' };
  const statusCallback = 'https://voice.example.com/outbound-status';
  await createCall(rest, { ...CALL, statusCallback, statusCallbackEvents: ['initiated', 'ringing', 'answered', 'completed'], timeoutSeconds: 60 });
  const sent = new URLSearchParams(form);
  expect(sent.get('StatusCallback')).toBe(statusCallback);
  expect(sent.get('StatusCallbackMethod')).toBe('POST');
  expect(sent.getAll('StatusCallbackEvent')).toEqual(['initiated', 'ringing', 'answered', 'completed']);
  expect(sent.get('Timeout')).toBe('60');
});
