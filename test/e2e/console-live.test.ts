// The console's live feed, history and numbers, fed by a real call through the server: the call
// appears in the event stream, its transcript grows turn by turn, and once it has ended it can be
// found by number with its conversation, tool run and timings. No full number is ever sent.
import { expect, test } from 'bun:test';
import { ADMIN_TOKEN, callStarted, eventually, liveCall, pattern, SHIPPED_YAML, startHarness } from '../harness.ts';
import { getJson, openLive, session } from '../console-client.ts';

const FROM = '+15557654321';
const MASKED = '********4321';
const never = (data: unknown) => expect(JSON.stringify(data)).not.toContain('5557654321');

test('a live call appears in the event stream, its transcript grows, and it leaves when it ends', async () => {
  await using h = await startHarness({ store: 'sqlite://:memory:' });
  const origin = h.switchboard.url.origin;
  const cookie = await session(origin, ADMIN_TOKEN);
  const live = await openLive(origin, cookie);
  expect(live.response.headers.get('content-type')).toBe('text/event-stream');
  expect((await live.next('calls')).calls).toEqual([]);

  const { call, upstream } = await liveCall(h, { params: { From: FROM } });
  const appeared = await live.next('calls', (s) => s.calls.length === 1);
  never(appeared);
  expect(appeared.calls[0]).toMatchObject({ callSid: call.callSid, state: 'connected', agent: 'greeter', number: MASKED, direction: 'inbound', turns: 0 });

  upstream.speechStarted();
  const item = upstream.speechStopped();
  upstream.userTranscript(item, 'What is the weather in Oslo?');
  const first = await live.next('turns');
  expect(first).toMatchObject({ callSid: call.callSid, from: 0, turns: [{ role: 'caller', text: 'What is the weather in Oslo?' }] });

  await upstream.speak(pattern(320, 2), { transcript: 'It is sunny in Oslo.' });
  const second = await live.next('turns');
  expect(second).toMatchObject({ callSid: call.callSid, from: 1, turns: [{ role: 'agent', agent: 'greeter', text: 'It is sunny in Oslo.' }] });
  expect((await live.next('calls', (s) => s.calls[0]?.turns === 2)).calls[0].callSid).toBe(call.callSid);

  // A second console tab gets the whole transcript so far at once.
  const late = await openLive(origin, cookie);
  expect((await late.next('turns')).turns.map((t: { text: string }) => t.text)).toEqual(['What is the weather in Oslo?', 'It is sunny in Oslo.']);
  await late.close();

  await call.hangup();
  expect((await live.next('calls', (s) => s.calls.length === 0)).calls).toEqual([]);
  await live.close();
});

test('a caller still hearing the greeting is live with its agent; the server draining says so', async () => {
  await using h = await startHarness();
  const origin = h.switchboard.url.origin;
  const live = await openLive(origin, await session(origin, ADMIN_TOKEN));
  const webhook = await h.twilio.webhook({ From: FROM });
  const greeting = await live.next('calls', (s) => s.calls.length === 1);
  never(greeting);
  expect(greeting.calls[0]).toMatchObject({ callSid: webhook.params.CallSid, state: 'greeting', agent: 'greeter', number: MASKED });
  h.switchboard.context.draining = true;
  expect((await live.next('calls', (s) => s.draining)).draining).toBe(true);
  await live.close();
});

test('an ended call is found by number, agent and end reason, with its conversation, tool run, timings and numbers', async () => {
  await using h = await startHarness({ store: 'sqlite://:memory:', yaml: `storage: { keep_dtmf: false }\n${SHIPPED_YAML}` });
  const origin = h.switchboard.url.origin;
  const cookie = await session(origin, ADMIN_TOKEN);
  const { call, upstream } = await liveCall(h, { params: { From: FROM } });
  await callStarted(h, call.callSid);
  upstream.speechStarted();
  const item = upstream.speechStopped();
  upstream.userTranscript(item, 'What is the weather in Oslo?');
  const { callId } = await upstream.callTool('weather', { location: 'Oslo' });
  await upstream.waitFor('conversation.item.create', (e) => e.item?.call_id === callId);
  await upstream.speak(pattern(320, 2), { transcript: 'It is sunny in Oslo.' });
  await call.waitForAudioBytes(320);
  call.sendDtmf('7');
  await eventually(() => h.switchboard.calls.size === 1 && [...h.switchboard.calls][0]!.record.dtmf.length === 1, 2000, 'the key press');
  await call.hangup();
  await eventually(() => h.logs.some((l) => l.includes('call ended') && l.includes(call.callSid)), 2000, 'ended');
  await h.switchboard.context.store!.flush();

  const found = await getJson(origin, '/console/api/calls?number=4321', cookie);
  never(found);
  expect(found.next).toBeNull();
  expect(found.calls).toEqual([
    expect.objectContaining({ callSid: call.callSid, number: MASKED, line: '+14155550199', agents: ['greeter'], endReason: 'caller_hangup', tools: ['weather'], live: false }),
  ]);
  for (const query of ['number=9999', 'agent=nobody', 'reason=idle']) expect((await getJson(origin, `/console/api/calls?${query}`, cookie)).calls).toEqual([]);
  expect((await getJson(origin, '/console/api/calls?agent=greeter&reason=caller_hangup', cookie)).calls).toHaveLength(1);

  const detail = await getJson(origin, `/console/api/calls/${call.callSid}`, cookie);
  never(detail);
  expect(detail.events.map(({ at, ...e }: { at: number }) => e)).toEqual([
    { kind: 'turn', role: 'caller', text: 'What is the weather in Oslo?' },
    { kind: 'turn', role: 'agent', agent: 'greeter', text: 'It is sunny in Oslo.' },
    { kind: 'tool', name: 'weather', arguments: '{"location":"Oslo"}', result: 'The weather in Oslo is sunny.', durationMs: expect.any(Number) },
    { kind: 'dtmf', count: 1 },
  ]);
  // Measured on the session: pre-warmed at the webhook, one answered turn, the agent's first audio
  // (after the caller's turn ended, so no sooner than that turn's answer).
  const t = detail.timings;
  expect(t).toEqual({ prewarmed: true, connectMs: expect.any(Number), waitedMs: expect.any(Number), firstAudioMs: expect.any(Number), replyMs: [expect.any(Number)] });
  // Pre-warmed: the session was ready before the stream, so the stream waited (almost) nothing.
  expect(t.waitedMs).toBeLessThan(t.connectMs + 50);
  expect(t.firstAudioMs).toBeGreaterThanOrEqual(t.replyMs[0]);

  const stats = await getJson(origin, '/console/api/stats', cookie);
  expect(stats.hours).toHaveLength(24);
  expect(stats.hours.reduce((n: number, hour: { byReason: Record<string, number> }) => n + (hour.byReason.caller_hangup ?? 0), 0)).toBe(1);
  expect(stats.reasons).toEqual([{ reason: 'caller_hangup', calls: 1 }]);
  expect(stats.firstAudio).toEqual({ n: 1, p50: t.firstAudioMs, p90: t.firstAudioMs, p99: t.firstAudioMs });
  expect(stats.reply).toMatchObject({ n: 1, p50: t.replyMs[0] });
});

test('bad searches are refused in words; without a store there is no history, only live calls', async () => {
  await using h = await startHarness({ store: 'sqlite://:memory:' });
  const origin = h.switchboard.url.origin;
  const cookie = await session(origin, ADMIN_TOKEN);
  const ask = async (path: string) => {
    const r = await fetch(`${origin}${path}`, { headers: { cookie } });
    return `${r.status} ${((await r.json()) as { error?: string }).error}`;
  };
  expect(await ask('/console/api/calls?limit=0')).toBe('400 limit must be a whole number from 1 to 100');
  expect(await ask('/console/api/calls?before=yesterday')).toBe('400 before must be a start time in milliseconds (from the previous page)');
  expect(await ask(`/console/api/calls?number=${'1'.repeat(33)}`)).toBe('400 number is longer than 32 characters');
  expect(await ask('/console/api/calls/CA%27%3B--')).toBe('400 not a CallSid');
  expect(await ask('/console/api/calls/CAnope')).toBe('404 no call CAnope recorded');

  await using bare = await startHarness();
  const origin2 = bare.switchboard.url.origin;
  const cookie2 = await session(origin2, ADMIN_TOKEN);
  expect((await getJson(origin2, '/console/api/session', cookie2)).history).toBe(false);
  const r = await fetch(`${origin2}/console/api/calls`, { headers: { cookie: cookie2 } });
  expect(`${r.status} ${((await r.json()) as { error?: string }).error}`).toBe('404 no call history: storage.url is off, so calls are not recorded');
});
