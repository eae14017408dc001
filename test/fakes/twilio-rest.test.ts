// The fake Twilio REST API against the official `twilio` client (an independent oracle): the fake
// understands the client's request and the client reads the fake's answers; and switchboard's own
// small client sends what the official one sends for the same call.
import { expect, test } from 'bun:test';
import twilio from 'twilio';
import { createCall } from '../../src/twilio/rest.ts';
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
