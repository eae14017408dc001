// LOG_LEVEL=debug (the harness logs at debug): the shape of a call, and still nothing personal.
import { expect, test } from 'bun:test';
import { callStarted, eventually, liveCall, pattern, startHarness } from '../harness.ts';

test('debug lines show the webhook (number masked) and the turns, each with its CallSid', async () => {
  await using h = await startHarness();
  const { call, upstream } = await liveCall(h, { params: { From: '+15557654321' } });
  await callStarted(h, call.callSid);
  await upstream.speak(pattern(800, 3));
  await call.waitForAudioBytes(800);
  await eventually(() => h.logs.some((l) => l.includes('agent stopped speaking')), 2000, 'agent done');
  await call.hangup();

  const debug = h.logs.filter((l) => l.includes(' DEBUG ') && l.includes(`callSid=${call.callSid}`));
  expect(debug.find((l) => l.includes('webhook'))).toContain('from=********4321');
  expect(debug.some((l) => l.includes('agent speaking'))).toBe(true);
  expect(debug.some((l) => l.includes('turn added') && l.includes('role=assistant'))).toBe(true);
  expect(h.logs.join('\n')).not.toContain('5557654321');
});
