// Fast first words: the upstream is opened at the webhook (pre-warm), and caller audio that
// arrives before it is ready is held and sent in order, not dropped.
import { expect, test } from 'bun:test';
import { eventually, pattern, startHarness } from '../harness.ts';

test('with a slow upstream, session.update precedes the stream’s start, and the call adopts that session', async () => {
  await using h = await startHarness({ realtime: { connectDelayMs: 300 } });
  const webhook = await h.twilio.webhook();
  // Twilio is playing <Say> meanwhile; the upstream connects behind it.
  const upstream = await h.realtime.nextSession(3000);
  await upstream.waitFor('session.update');
  expect(h.switchboard.calls.size).toBe(0); // no stream yet

  const call = await h.twilio.call({ twiml: webhook.twiml, params: { CallSid: webhook.params.CallSid } });
  await eventually(() => h.logs.some((l) => l.includes('upstream ready') && l.includes(call.callSid)), 3000, 'ready');
  const ready = h.logs.find((l) => l.includes('upstream ready') && l.includes(call.callSid))!;
  expect(ready).toContain('prewarmed=true');
  expect(h.realtime.upgradeAttempts).toBe(1); // adopted, not opened again

  await call.sendAudio(pattern(320, 3));
  await eventually(() => upstream.audio().length >= 320, 3000, 'audio on the pre-warmed session');
  expect(upstream.audio()).toEqual(pattern(320, 3));
  await call.hangup();
  await upstream.closed;
});

test('the upstream hears the caller’s first frame even when it is still connecting', async () => {
  await using h = await startHarness({ realtime: { connectDelayMs: 300 } });
  const call = await h.twilio.call(); // stream starts at once: the pre-warm has not finished
  const first = pattern(160 * 20, 9); // 400 ms of speech from the first frame on
  await call.sendAudio(first);
  const upstream = await h.realtime.nextSession(3000);
  await eventually(() => upstream.audio().length >= first.length, 3000, 'held audio delivered');
  expect(upstream.audio()).toEqual(first);
  const ready = h.logs.find((l) => l.includes('upstream ready') && l.includes(call.callSid))!;
  expect(Number(/heldFrames=(\d+)/.exec(ready)?.[1])).toBeGreaterThan(0);
  // session.update went out before any caller audio.
  const kinds = upstream.events.map((e) => e.type);
  expect(kinds.indexOf('session.update')).toBeLessThan(kinds.indexOf('input_audio_buffer.append'));
  await call.hangup();
});
