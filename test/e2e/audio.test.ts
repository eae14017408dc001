// Audio both ways, marks, and barge-in, through the real server and the SDK's Twilio transport.
import { expect, test } from 'bun:test';
import { eventually, liveCall, pattern, startHarness } from '../harness.ts';

test('caller audio reaches the upstream byte-for-byte and in order', async () => {
  await using h = await startHarness();
  const { call, upstream } = await liveCall(h);

  const audio = pattern(160 * 25, 7);
  await call.sendAudio(audio);
  await eventually(() => upstream.audio().length >= audio.length, 3000, 'caller audio upstream');
  expect(upstream.audio()).toEqual(audio);
  await call.hangup();
});

test('model audio and marks reach the caller with the streamSid', async () => {
  await using h = await startHarness();
  const { call, upstream } = await liveCall(h);

  const reply = pattern(160 * 10, 99);
  await upstream.speak(reply);
  await call.waitForAudioBytes(reply.length);
  expect(call.receivedAudio()).toEqual(reply);
  await call.waitFor((m) => m.event === 'mark' && String(m.mark?.name).startsWith('done:'));
  const outbound = call.messages.filter((m) => m.event === 'media' || m.event === 'mark');
  expect(outbound.length).toBeGreaterThan(10);
  for (const message of outbound) expect(message.streamSid).toBe(call.streamSid);
  expect(call.protocolViolations).toEqual([]);
  await call.hangup();
});

test('barge-in clears Twilio playback and truncates the model item', async () => {
  await using h = await startHarness();
  const { call, upstream } = await liveCall(h, { playback: 'realtime' });

  // Two seconds of audio, left open: the caller talks over it after some of it has played.
  const { itemId } = await upstream.speak(pattern(8 * 2000, 3), { done: false });
  await call.waitForAudioBytes(8 * 2000);
  await Bun.sleep(300); // let some of it "play" on the fake phone so the truncation point is real
  await upstream.speechStarted();

  await call.waitFor((m) => m.event === 'clear');
  const truncate = await upstream.waitFor('conversation.item.truncate');
  expect(truncate.item_id).toBe(itemId);
  expect(truncate.audio_end_ms).toBeGreaterThanOrEqual(0);
  expect(truncate.audio_end_ms).toBeLessThan(2000);
  expect(call.clears).toBe(1);
  await call.hangup();
});
