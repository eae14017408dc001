// What the audio path does besides forwarding, held to how Twilio and the API behave: marks track
// what the caller has heard, barge-in clears and truncates at the played position, a cancelled
// response's late audio never reaches the caller, gaps in Twilio's timeline and a caller who stops
// sending mid-speech become silence for the model. The suite runs on the lean path and, with
// AUDIO_PATH=sdk, on the SDK's Twilio transport (.ci/run does both).
import { expect, test } from 'bun:test';
import { eventually, liveCall, pattern, startHarness } from '../harness.ts';

const SILENCE = 0xff;
const allSilence = (bytes: Uint8Array) => bytes.length > 0 && bytes.every((b) => b === SILENCE);

test('barge-in truncates the item at what the caller heard, not at what was sent', async () => {
  await using h = await startHarness();
  const { call, upstream } = await liveCall(h, { playback: 'realtime' });

  // Three seconds of audio sent at once; Twilio plays it in real time and echoes each mark.
  const { itemId } = await upstream.speak(pattern(8 * 3000, 3), { done: false });
  await call.waitForAudioBytes(8 * 3000);
  await call.waitUntil(() => call.heardAudio().length >= 8 * 800, 5000, '800 ms heard');
  const heardMs = call.heardAudio().length / 8;
  upstream.speechStarted();

  await call.waitFor((m) => m.event === 'clear');
  const truncate = await upstream.waitFor('conversation.item.truncate');
  expect(truncate.item_id).toBe(itemId);
  expect(truncate.content_index).toBe(0);
  // The last echoed mark (20 ms granularity) plus the transport's 50 ms allowance.
  expect(truncate.audio_end_ms).toBeGreaterThanOrEqual(heardMs - 100);
  expect(truncate.audio_end_ms).toBeLessThanOrEqual(heardMs + 150);
  expect(call.clears).toBe(1);
  // Twilio stopped playing at the clear: the rest of the three seconds was never heard.
  expect(call.heardAudio().length).toBeLessThan(8 * 3000);
  expect(call.protocolViolations).toEqual([]);
  await call.hangup();
});

test('audio of a response cut off by the caller never reaches Twilio after the clear', async () => {
  await using h = await startHarness();
  const { call, upstream } = await liveCall(h);

  await upstream.speak(pattern(8 * 200, 5), { done: false });
  await call.waitForAudioBytes(8 * 200);
  // Deltas already on the wire when the API's turn detection cancelled the response still arrive
  // after speech_started: the fake keeps the response open to send them.
  upstream.speechStarted({ cancelResponse: false });
  await call.waitFor((m) => m.event === 'clear');
  const before = call.receivedAudio().length;
  await upstream.speak(pattern(8 * 200, 6), { done: false }); // late deltas of the same response
  upstream.finishResponse('cancelled');

  // A new response is heard again.
  const next = pattern(8 * 100, 7);
  await upstream.speak(next);
  await call.waitForAudioBytes(before + next.length);
  expect(call.receivedAudio().subarray(before)).toEqual(next);
  await call.hangup();
});

test('each model frame is followed by a mark, and a done mark ends each item', async () => {
  await using h = await startHarness();
  const { call, upstream } = await liveCall(h);

  await upstream.speak(pattern(160 * 5, 1));
  await upstream.speak(pattern(160 * 3, 2));
  await call.waitUntil(() => call.messagesOf('mark').length >= 10, 3000, 'ten marks');
  const kinds = call.messages.filter((m) => m.event === 'media' || m.event === 'mark').map((m) => m.event);
  // media, mark, media, mark, ... and one more mark at each item's end.
  expect(kinds.join(' ')).toBe(['media mark', 'media mark', 'media mark', 'media mark', 'media mark mark', 'media mark', 'media mark', 'media mark mark'].join(' '));
  const names = call.messagesOf('mark').map((m) => m.mark.name as string);
  expect(new Set(names).size).toBe(names.length);
  expect(names.filter((n) => n.startsWith('done:'))).toHaveLength(2);
  await call.hangup();
});

test('a played item is not truncated: barge-in during the next one truncates only that one', async () => {
  await using h = await startHarness();
  const { call, upstream } = await liveCall(h, { playback: 'realtime' });

  const first = await upstream.speak(pattern(8 * 200, 1));
  await call.waitUntil(() => call.markEchoes.some((n) => n.startsWith('done:')), 3000, 'the first item played');
  const second = await upstream.speak(pattern(8 * 2000, 2), { done: false });
  await call.waitUntil(() => call.heardAudio().length >= 8 * 500, 5000, 'some of the second heard');
  upstream.speechStarted();
  const truncate = await upstream.waitFor('conversation.item.truncate');
  expect(truncate.item_id).toBe(second.itemId);
  expect(upstream.events.filter((e) => e.type === 'conversation.item.truncate' && e.item_id === first.itemId)).toHaveLength(0);
  await call.hangup();
});

test('a gap in Twilio’s timestamps reaches the model as that much silence', async () => {
  await using h = await startHarness();
  const { call, upstream } = await liveCall(h);

  call.sendMedia(pattern(160, 1));
  call.sendMedia(pattern(160, 2));
  call.skipMs(240); // Twilio lost 12 frames
  call.sendMedia(pattern(160, 3));
  await eventually(() => upstream.audio().length >= 160 * 3 + 8 * 240, 3000, 'audio with the gap filled');
  const audio = upstream.audio();
  expect(audio.length).toBe(160 * 3 + 8 * 240);
  expect(audio.subarray(0, 320)).toEqual(new Uint8Array([...pattern(160, 1), ...pattern(160, 2)]));
  expect(allSilence(audio.subarray(320, 320 + 8 * 240))).toBe(true);
  expect(audio.subarray(320 + 8 * 240)).toEqual(pattern(160, 3));
  await call.hangup();
});

test('a caller who stops sending mid-speech gets a second of silence so turn detection can end', async () => {
  await using h = await startHarness();
  const { call, upstream } = await liveCall(h);

  upstream.speechStarted();
  await call.sendAudio(pattern(160 * 5, 4));
  await eventually(() => upstream.audio().length >= 160 * 5, 3000, 'the caller’s frames');
  // No frame for 750 ms while the model hears speech: one second of silence follows.
  await eventually(() => upstream.audio().length >= 160 * 5 + 8000, 3000, 'the silence');
  const audio = upstream.audio();
  expect(audio.length).toBe(160 * 5 + 8000);
  expect(allSilence(audio.subarray(160 * 5))).toBe(true);

  // Once the model says the speech stopped, a quiet caller gets nothing more.
  upstream.speechStopped({ commit: false });
  await Bun.sleep(900);
  expect(upstream.audio().length).toBe(160 * 5 + 8000);
  await call.hangup();
});
