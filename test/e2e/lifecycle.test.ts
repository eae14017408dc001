// Calls end cleanly, stay apart, and survive whatever the network throws at them.
import { expect, test } from 'bun:test';
import { eventually, liveCall, pattern, startHarness } from '../harness.ts';

test('Twilio `stop` closes the upstream within a second', async () => {
  await using h = await startHarness();
  const { call, upstream } = await liveCall(h);
  const stoppedAt = Date.now();
  await call.sendStop();
  await upstream.closed;
  expect(Date.now() - stoppedAt).toBeLessThan(1000);
  await eventually(() => h.switchboard.calls.size === 0, 1000, 'call removed');
});

test('a stream closed without `stop` closes the upstream too', async () => {
  await using h = await startHarness();
  const { call, upstream } = await liveCall(h);
  call.ws.close();
  await upstream.closed;
  await eventually(() => h.realtime.openCount === 0 && h.switchboard.calls.size === 0, 1000, 'everything closed');
  // Logged as the stream's doing, not the upstream's.
  expect(h.logs.some((l) => l.includes(`callSid=${call.callSid}`) && l.includes('reason=stream_closed'))).toBe(true);
});

test('20 concurrent calls do not cross-talk', async () => {
  await using h = await startHarness();
  const calls = await Promise.all(Array.from({ length: 20 }, () => h.twilio.call()));
  const sessions = await Promise.all(calls.map(() => h.realtime.nextSession()));
  await Promise.all(sessions.map((s) => s.waitFor('session.update')));
  await eventually(() => h.logs.filter((l) => l.includes('upstream ready')).length === 20, 5000, 'all upstreams ready');

  // Each caller says something unique; each upstream answers with something unique.
  await Promise.all(calls.map((c, i) => c.sendAudio(pattern(160 * 5, i * 11))));
  await eventually(() => sessions.every((s) => s.audio().length >= 800), 5000, 'all caller audio');
  const heard = new Set(sessions.map((s) => Buffer.from(s.audio()).toString('hex')));
  expect(heard.size).toBe(20);
  expect([...heard].sort()).toEqual(calls.map((_, i) => Buffer.from(pattern(800, i * 11)).toString('hex')).sort());

  await Promise.all(sessions.map((s, i) => s.speak(pattern(320, 200 + i))));
  await Promise.all(calls.map((c) => c.waitForAudioBytes(320)));
  // Pair each call with the session that heard it, then check the reply it got was that session's.
  for (const [i, call] of calls.entries()) {
    const j = sessions.findIndex((s) => Buffer.from(s.audio()).equals(Buffer.from(pattern(800, i * 11))));
    expect(call.receivedAudio()).toEqual(pattern(320, 200 + j));
    expect(call.protocolViolations).toEqual([]);
  }
  await Promise.all(calls.map((c) => c.hangup()));
  await eventually(() => h.realtime.openCount === 0, 2000, 'all upstreams closed');
});

test('garbage frames leave the server and other calls untouched', async () => {
  await using h = await startHarness();
  const bystander = await h.twilio.call();
  const bystanderUpstream = await h.realtime.nextSession();
  await bystanderUpstream.waitFor('session.update');

  // Media before start, on a stream that never starts: dropped, no upstream opened.
  const early = await h.twilio.call({ autoStart: false });
  early.sendRaw(JSON.stringify({ event: 'media', streamSid: 'MZ0', media: { payload: '//8=' } }));

  const victim = await h.twilio.call();
  await h.realtime.nextSession();
  for (const junk of [
    'not json at all',
    '{"event":',
    '[]',
    '{"event":"media"}',
    '{"event":"media","media":{"payload":"%%%"}}',
    '{"event":"start"}',
    '{"event":"mark","mark":{"name":{"x":1}}}',
    '{"event":"surprise"}',
    `${'['.repeat(10000)}${']'.repeat(10000)}`,
  ]) {
    victim.sendRaw(junk);
  }
  victim.sendRaw(new Uint8Array([0, 1, 2, 3, 255]));
  victim.sendRaw('x'.repeat(200_000)); // over the frame limit: this stream is closed, nothing else

  await victim.closed;
  // The bystander still works both ways.
  await eventually(() => h.logs.some((l) => l.includes('upstream ready') && l.includes(bystander.callSid)), 3000, 'bystander ready');
  await bystander.sendAudio(pattern(480, 5));
  await eventually(() => bystanderUpstream.audio().length >= 480, 3000, 'bystander audio');
  await bystanderUpstream.speak(pattern(160, 9));
  await bystander.waitForAudioBytes(160);
  // One upstream per answered webhook (pre-warmed), none more for all that junk.
  expect(h.realtime.upgradeAttempts).toBe(3);
  expect(h.logs.some((l) => l.includes('ignored a stream frame') && l.includes('reason=not_json'))).toBe(true);

  // And the server still answers new calls.
  const after = await h.twilio.call();
  await (await h.realtime.nextSession()).waitFor('session.update');
  await Promise.all([after.hangup(), bystander.hangup(), early.hangup()]);
});

test('drain: new calls hear busy, calls in progress finish, the rest end through the fallback', async () => {
  await using h = await startHarness();
  const finishing = await h.twilio.call();
  const lingering = await h.twilio.call();
  await Promise.all([h.realtime.nextSession(), h.realtime.nextSession()]);
  await eventually(() => h.logs.filter((l) => l.includes('call started')).length === 2, 3000, 'both started');

  const drained = h.switchboard.drain(600);
  const turnedAway = await h.twilio.webhook();
  expect(turnedAway.body).toContain('<Say>Sorry, all our lines are busy. Please call again later.</Say><Hangup/>');
  await finishing.hangup();

  // The lingering call is cut at the deadline, and its fallback is still answered.
  await lingering.closed;
  expect((await lingering.requestAction()).body).toContain('<Say>Sorry, something went wrong on our side. Please call again later.</Say>');
  await drained;
  expect(h.logs.some((l) => l.includes(`callSid=${finishing.callSid}`) && l.includes('reason=caller_hangup'))).toBe(true);
  expect(h.logs.some((l) => l.includes(`callSid=${lingering.callSid}`) && l.includes('reason=shutdown'))).toBe(true);
  expect(h.realtime.openCount).toBe(0);
});
