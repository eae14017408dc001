// The fake Twilio REST API against the official `twilio` client (an independent oracle): the fake
// understands the client's request and the client reads the fake's answers; and switchboard's own
// small client sends what the official one sends for the same call. Its status callbacks are signed
// as the official validator expects.
import { expect, test } from 'bun:test';
import twilio from 'twilio';
import { createCall } from '../../src/twilio/rest.ts';
import { FakeTwilio } from './twilio/fake-twilio.ts';
import { newAccountSid } from './twilio/ids.ts';
import { startFakeTwilioRest } from './twilio-rest.ts';

const ACCOUNT = newAccountSid();
const TOKEN = 'fake-rest-auth-token';
const CALL = { to: '+15557654321', from: '+15550001111', url: 'https://voice.example.com/outbound-call?agent=a&param.x=1+2' };

function officialClient(baseUrl: string, password = TOKEN) {
  const client = twilio(ACCOUNT, password);
  client.api.baseUrl = baseUrl;
  return client;
}

test('the official client creates a call on the fake, and reads its call resource', async () => {
  await using rest = startFakeTwilioRest({ accountSid: ACCOUNT, credentials: [[ACCOUNT, TOKEN]] });
  const call = await officialClient(rest.baseUrl).calls.create({ ...CALL, method: 'POST', machineDetection: 'DetectMessageEnd' });
  expect(call.sid).toBe(rest.calls[0]!.sid);
  expect(call.status).toBe('queued');
  expect(call.direction).toBe('outbound-api');
  expect(rest.calls[0]!.form).toMatchObject({ To: CALL.to, From: CALL.from, Url: CALL.url, Method: 'POST', MachineDetection: 'DetectMessageEnd' });
});

test("the fake's refusals are the official client's RestException, code and status", async () => {
  await using rest = startFakeTwilioRest({ accountSid: ACCOUNT, credentials: [[ACCOUNT, TOKEN]], numbers: ['+15550002222'] });
  const refusal = (promise: Promise<unknown>) => promise.then(() => undefined, (error: { status: number; code: number }) => [error.status, error.code]);
  expect(await refusal(officialClient(rest.baseUrl, 'wrong').calls.create(CALL))).toEqual([401, 20003]);
  expect(await refusal(officialClient(rest.baseUrl).calls.create(CALL))).toEqual([400, 21210]);
});

test("switchboard's client sends the official client's request: path, Basic auth, form", async () => {
  await using rest = startFakeTwilioRest({ accountSid: ACCOUNT, credentials: [[ACCOUNT, TOKEN]] });
  await officialClient(rest.baseUrl).calls.create({ ...CALL, method: 'POST', machineDetection: 'Enable' });
  await createCall({ apiBase: rest.baseUrl, accountSid: ACCOUNT, username: ACCOUNT, password: TOKEN }, { ...CALL, machineDetection: 'Enable' });
  const [official, ours] = rest.requests;
  expect(ours).toEqual({ ...official!, contentType: 'application/x-www-form-urlencoded' });
  expect(official!.contentType).toStartWith('application/x-www-form-urlencoded');
});

test('status callbacks: the official client asks for them as a list; switchboard sends the same form', async () => {
  await using rest = startFakeTwilioRest({ accountSid: ACCOUNT, credentials: [[ACCOUNT, TOKEN]] });
  const statusCallback = 'https://voice.example.com/outbound-status';
  const events = ['initiated', 'ringing', 'answered', 'completed'] as const;
  await officialClient(rest.baseUrl).calls.create({ ...CALL, method: 'POST', statusCallback, statusCallbackMethod: 'POST', statusCallbackEvent: [...events], timeout: 60 });
  await createCall({ apiBase: rest.baseUrl, accountSid: ACCOUNT, username: ACCOUNT, password: TOKEN }, { ...CALL, statusCallback, statusCallbackEvents: events, timeoutSeconds: 60 });
  const [official, ours] = rest.requests;
  expect(official!.form).toMatchObject({ StatusCallback: statusCallback, StatusCallbackMethod: 'POST', StatusCallbackEvent: 'initiated ringing answered completed', Timeout: '60' });
  expect(ours!.form).toEqual(official!.form);
});

test("the fake refuses a malformed status callback or event with Twilio's codes, and creates nothing", async () => {
  await using rest = startFakeTwilioRest({ accountSid: ACCOUNT, credentials: [[ACCOUNT, TOKEN]] });
  const client = officialClient(rest.baseUrl);
  const refusal = (promise: Promise<unknown>) => promise.then(() => undefined, (error: { status: number; code: number }) => [error.status, error.code]);
  expect(await refusal(client.calls.create({ ...CALL, statusCallback: 'not a url' }))).toEqual([400, 21609]);
  expect(await refusal(client.calls.create({ ...CALL, statusCallback: 'https://x.example/s', statusCallbackEvent: ['rang'] }))).toEqual([400, 21626]);
  expect(rest.calls).toEqual([]);
  expect(rest.requests).toHaveLength(2);
});

test('status(): signed requests to the StatusCallback for the events asked for; every ending is `completed`', async () => {
  const received: { url: string; params: Record<string, string>; valid: boolean }[] = [];
  using receiver = Bun.serve({
    port: 0,
    hostname: '127.0.0.1',
    fetch: async (req) => {
      const params = Object.fromEntries(new URLSearchParams(await req.text()));
      const url = `https://voice.example.com${new URL(req.url).pathname}`;
      received.push({ url, params, valid: twilio.validateRequest(TOKEN, req.headers.get('x-twilio-signature') ?? '', url, params) });
      return new Response(null, { status: 204 });
    },
  });
  const phone = new FakeTwilio({ serverUrl: `http://127.0.0.1:${receiver.port}`, publicUrl: 'https://voice.example.com', authToken: TOKEN, accountSid: ACCOUNT });
  await using rest = startFakeTwilioRest({ accountSid: ACCOUNT, credentials: [[ACCOUNT, TOKEN]] });
  const client = officialClient(rest.baseUrl);
  const statusCallback = 'https://voice.example.com/outbound-status';
  const ringing = await client.calls.create({ ...CALL, statusCallback, statusCallbackEvent: ['ringing', 'completed'] });
  expect(await rest.status(ringing.sid, phone, 'initiated')).toBeUndefined();
  expect((await rest.status(ringing.sid, phone, 'ringing'))?.status).toBe(204);
  expect((await rest.status(ringing.sid, phone, 'no-answer'))?.status).toBe(204);
  // No events asked for: only the ending is called back.
  const plain = await client.calls.create({ ...CALL, statusCallback });
  expect(await rest.status(plain.sid, phone, 'ringing')).toBeUndefined();
  await rest.status(plain.sid, phone, 'busy');
  expect(received.map((r) => [r.url, r.params.CallSid, r.params.CallStatus, r.params.SequenceNumber, r.valid])).toEqual([
    [statusCallback, ringing.sid, 'ringing', '0', true],
    [statusCallback, ringing.sid, 'no-answer', '1', true],
    [statusCallback, plain.sid, 'busy', '0', true],
  ]);
  expect(received[1]!.params).toMatchObject({ Direction: 'outbound-api', To: CALL.to, From: CALL.from, CallDuration: '0', AccountSid: ACCOUNT });
});
