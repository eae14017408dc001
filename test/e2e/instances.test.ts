// Several instances behind one public host, sharing STREAM_TOKEN_SECRET and a PostgreSQL store:
// a stream may reach another instance than its webhook, and a token is still used once.
import { expect, test } from 'bun:test';
import { callStarted, liveCall, pattern, startHarness, eventually } from '../harness.ts';
import { freshPostgres, POSTGRES_URL } from '../postgres.ts';

const SECRET = 'a-shared-stream-token-secret-of-32+chars';

test.skipIf(!POSTGRES_URL)('webhook to one instance, stream to the other: the call works; a replayed token is refused by both', async () => {
  const store = await freshPostgres();
  await using a = await startHarness({ store, settings: { streamTokenSecret: SECRET } });
  await using b = await startHarness({ store, settings: { streamTokenSecret: SECRET } });

  const webhook = await a.twilio.webhook();
  const call = await b.twilio.call({ twiml: webhook.twiml, params: { CallSid: webhook.params.CallSid } });
  await callStarted(b, call.callSid);
  // B has no pre-warmed session for this call: it opens one.
  const upstream = await b.realtime.nextSession();
  await call.sendAudio(pattern(320, 8));
  await eventually(() => upstream.audio().length >= 320, 3000, 'audio through instance B');
  await call.hangup();

  for (const h of [a, b]) {
    const replay = await h.twilio.call({ twiml: webhook.twiml, params: { CallSid: webhook.params.CallSid } });
    expect((await replay.closed).code).toBe(1008);
    expect(h.logs.some((l) => l.includes('stream refused: stream token') && l.includes('result=reused'))).toBe(true);
  }
});

test('without a shared secret, another instance cannot verify the token', async () => {
  await using a = await startHarness();
  await using b = await startHarness();
  const webhook = await a.twilio.webhook();
  const call = await b.twilio.call({ twiml: webhook.twiml, params: { CallSid: webhook.params.CallSid } });
  expect((await call.closed).code).toBe(1008);
  expect(b.logs.some((l) => l.includes('result=invalid'))).toBe(true);
  // The same stream on its own instance works.
  const own = await liveCall(a, { twiml: webhook.twiml, params: { CallSid: webhook.params.CallSid } });
  await own.call.hangup();
});
