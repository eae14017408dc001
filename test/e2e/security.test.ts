// Twilio signatures on the webhook and the stream upgrade, checked before any upstream work.
import { expect, test } from 'bun:test';
import twilio from 'twilio';
import { AUTH_TOKEN, PUBLIC_URL, startHarness } from '../harness.ts';

const form = { CallSid: 'CA00000000000000000000000000000001', From: '+15550001111', To: '+15550002222' };

async function post(origin: string, body: Record<string, string>, headers: Record<string, string>) {
  return fetch(`${origin}/incoming-call`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(body),
  });
}

test('the webhook accepts Twilio’s real scheme (independent oracle) and answers TwiML', async () => {
  await using h = await startHarness();
  const signature = twilio.getExpectedTwilioSignature(AUTH_TOKEN, `${PUBLIC_URL}/incoming-call`, form);
  const res = await post(h.switchboard.url.origin, form, { 'x-twilio-signature': signature });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toContain('text/xml');
  const body = await res.text();
  expect(body).toContain('<Say>O.K. you can start talking!</Say>');
  expect(body).toMatch(
    /<Connect action="https:\/\/voice.example.com\/call-ended"><Stream url="wss:\/\/voice.example.com\/media-stream"><Parameter name="agent" value="greeter"\/><Parameter name="call" value="[^"]+"\/><Parameter name="token" value="[\w.-]+"\/><\/Stream><\/Connect>/,
  );
});

test('the webhook refuses missing, wrong, hostile-host and tampered requests', async () => {
  await using h = await startHarness();
  const origin = h.switchboard.url.origin;
  const good = twilio.getExpectedTwilioSignature(AUTH_TOKEN, `${PUBLIC_URL}/incoming-call`, form);
  const hostile = twilio.getExpectedTwilioSignature(AUTH_TOKEN, 'https://attacker.example/incoming-call', form);
  const cases: [string, Record<string, string>, Record<string, string>][] = [
    ['missing', form, {}],
    ['wrong', form, { 'x-twilio-signature': 'c2lnbmF0dXJl' }],
    ['hostile host', form, { 'x-twilio-signature': hostile, host: 'attacker.example', 'x-forwarded-host': 'attacker.example', 'x-forwarded-proto': 'https' }],
    ['tampered', { ...form, To: '+15559999999' }, { 'x-twilio-signature': good }],
    ['wrong token', form, { 'x-twilio-signature': twilio.getExpectedTwilioSignature('other-token', `${PUBLIC_URL}/incoming-call`, form) }],
  ];
  for (const [name, body, headers] of cases) {
    const res = await post(origin, body, headers);
    expect({ name, status: res.status }).toEqual({ name, status: 403 });
  }
  expect(h.realtime.upgradeAttempts).toBe(0);
});

test('the stream upgrade is verified before any upstream connection is opened', async () => {
  await using h = await startHarness();
  const wss = 'wss://voice.example.com/media-stream';
  const refused: Parameters<typeof h.twilio.upgrade>[0][] = [
    { sign: false },
    { headers: { 'X-Twilio-Signature': 'bm9wZQ==' } },
    {
      headers: {
        'X-Twilio-Signature': twilio.getExpectedTwilioSignature(AUTH_TOKEN, 'wss://attacker.example/media-stream', {}),
        Host: 'attacker.example',
        'X-Forwarded-Host': 'attacker.example',
      },
    },
    { headers: { 'X-Twilio-Signature': twilio.getExpectedTwilioSignature(AUTH_TOKEN, `${PUBLIC_URL}/media-stream`, {}) } }, // https, not wss
    { streamUrl: `${wss}?agent=x` }, // signed, but with a query string
  ];
  for (const attempt of refused) {
    expect({ attempt, status: (await h.twilio.upgrade(attempt)).status }).toEqual({ attempt, status: 403 });
  }
  expect(h.realtime.upgradeAttempts).toBe(0);
  expect(h.switchboard.calls.size).toBe(0);

  // The genuine article gets through, with Twilio's signature, and the trailing-slash variant too.
  expect((await h.twilio.upgrade({ headers: { 'X-Twilio-Signature': twilio.getExpectedTwilioSignature(AUTH_TOKEN, wss, {}) } })).status).toBe(101);
  expect((await h.twilio.upgrade({ streamUrl: `${wss}/` })).status).toBe(101);
  const call = await h.twilio.call();
  await (await h.realtime.nextSession()).waitFor('session.update');
  await call.hangup();
});

test('nothing secret reaches the log', async () => {
  await using h = await startHarness();
  const call = await h.twilio.call();
  await (await h.realtime.nextSession()).waitFor('session.update');
  await call.hangup();
  await h.twilio.webhook({}, { sign: false });
  const all = h.logs.join('\n');
  expect(all).not.toContain(AUTH_TOKEN);
  expect(all).not.toContain('sk-test-never-log-me');
});
