// What can happen to a pre-warmed session before its stream comes, and to sockets that never
// become calls.
import { expect, test } from 'bun:test';
import { callStarted, eventually, pattern, SHIPPED_YAML, startHarness } from '../harness.ts';

test('an error event on a pre-warmed session, before any call owns it, is logged and harms nothing', async () => {
  await using h = await startHarness();
  const webhook = await h.twilio.webhook();
  const upstream = await h.realtime.nextSession();
  await upstream.waitFor('session.update');
  upstream.sendError('invalid_request_error', 'something the API did not like');
  await eventually(() => h.logs.some((l) => l.includes('session error')), 2000, 'error logged');

  // The process is alive and the call goes through on that same session.
  const call = await h.twilio.call({ twiml: webhook.twiml, params: { CallSid: webhook.params.CallSid } });
  await callStarted(h, call.callSid);
  await call.sendAudio(pattern(320, 4));
  await eventually(() => upstream.audio().length >= 320, 2000, 'audio');
  await call.hangup();
});

test('a pre-warmed session that dropped before its stream came is replaced, not handed over dead', async () => {
  await using h = await startHarness();
  const webhook = await h.twilio.webhook();
  const first = await h.realtime.nextSession();
  await first.waitFor('session.update');
  await eventually(() => h.switchboard.context.prewarm.size === 1, 1000, 'pre-warmed');
  first.drop();
  await first.closed;

  const call = await h.twilio.call({ twiml: webhook.twiml, params: { CallSid: webhook.params.CallSid } });
  const second = await h.realtime.nextSession();
  await second.waitFor('session.update');
  await call.sendAudio(pattern(320, 6));
  await eventually(() => second.audio().length >= 320, 2000, 'audio on the fresh session');
  expect(call.isOpen).toBe(true);
  await call.hangup();
});

test('DTMF digits are kept out of the log', async () => {
  await using h = await startHarness();
  const call = await h.twilio.call();
  await callStarted(h, call.callSid);
  for (const digit of '4111111111111111') call.sendDtmf(digit);
  await call.hangup();
  await eventually(() => h.logs.some((l) => l.includes('call ended') && l.includes(call.callSid)), 2000, 'ended');
  expect(h.logs.join('\n')).not.toContain('digit=');
});

test('a signed socket that never sends start is closed, and is not counted as a call', async () => {
  const yaml = `limits: { max_concurrent_calls: 2 }\n${SHIPPED_YAML}`;
  await using h = await startHarness({ yaml, timings: { startTimeoutMs: 300 } });
  // A captured upgrade signature is enough to open a socket; this one never says `start`.
  const first = await h.twilio.webhook();
  const idle = await h.twilio.call({ autoStart: false, twiml: first.twiml });
  expect(h.switchboard.calls.size).toBe(1);
  // One line is taken (the first caller, still hearing <Say>); the idle socket is not a second.
  expect((await h.twilio.webhook()).body).toContain('<Connect');
  const closed = await idle.closed;
  expect(closed.code).toBe(1008);
  expect(h.logs.some((l) => l.includes('reason=no_start'))).toBe(true);
});
