// GET /metrics: Prometheus text behind the admin token (or public with METRICS_PUBLIC), and the
// numbers move with a call: active calls, frames, tool runs, reply latency, end reasons.
import { expect, test } from 'bun:test';
import { ADMIN_TOKEN, eventually, liveCall, pattern, startHarness, type Harness } from '../harness.ts';
import { parsePrometheus } from '../prometheus.ts';

/** `token` null: no Authorization header. */
const scrape = async (h: Harness, token: string | null = ADMIN_TOKEN) => {
  const response = await fetch(`${h.switchboard.url.origin}/metrics`, token ? { headers: { authorization: `Bearer ${token}` } } : {});
  return { status: response.status, type: response.headers.get('content-type'), text: await response.text() };
};
const samples = async (h: Harness) => parsePrometheus((await scrape(h)).text);

test('the parser used here refuses what Prometheus would', () => {
  expect(parsePrometheus('# TYPE a counter\na{x="1"} 2\n').get('a{x="1"}')).toBe(2);
  expect(() => parsePrometheus('a 1\n')).toThrow('sample without a TYPE');
  expect(() => parsePrometheus('# TYPE a gauge\na{x=1} 1\n')).toThrow('bad labels');
  expect(() => parsePrometheus('# TYPE a gauge\na one\n')).toThrow('bad value');
});

test('/metrics needs the admin token, unless METRICS_PUBLIC', async () => {
  await using h = await startHarness();
  expect((await scrape(h, null)).status).toBe(401);
  expect((await scrape(h, 'wrong')).status).toBe(401);
  const ok = await scrape(h);
  expect(ok.status).toBe(200);
  expect(ok.type).toBe('text/plain; version=0.0.4; charset=utf-8');
  expect(parsePrometheus(ok.text).get('switchboard_active_calls{state="connected"}')).toBe(0);

  await using open = await startHarness({ settings: { metricsPublic: true } });
  expect((await scrape(open, null)).status).toBe(200);
});

test('a call moves the numbers: active, frames, tool runs, reply latency, end reason, duration', async () => {
  await using h = await startHarness();
  const before = await samples(h);
  expect(before.get('switchboard_calls_ended_total{reason="caller_hangup"}')).toBeUndefined();
  expect(before.get('switchboard_config_reloads_total{result="failed"}')).toBe(0);

  const { call, upstream } = await liveCall(h);
  await call.sendAudio(pattern(800, 1));
  call.sendRaw('not json');
  upstream.speechStarted();
  upstream.speechStopped();
  const { callId } = await upstream.callTool('weather', { location: 'Oslo' });
  await upstream.waitFor('conversation.item.create', (e) => e.item?.call_id === callId);
  await upstream.speak(pattern(320, 2));
  await call.waitForAudioBytes(320);

  const during = await samples(h);
  expect(during.get('switchboard_active_calls{state="connected"}')).toBe(1);
  // start, 5 media frames of 160 bytes, and the frame that was not JSON (at least: marks too).
  expect(during.get('switchboard_frames_total{direction="in"}')).toBeGreaterThanOrEqual(7);
  expect(during.get('switchboard_frames_total{direction="out"}')).toBeGreaterThanOrEqual(1);
  expect(during.get('switchboard_rejected_frames_total{reason="not_json"}')).toBe(1);
  expect(during.get('switchboard_reply_latency_seconds_count')).toBe(1);
  // Tool runs count as each ends, not when the call does.
  expect(during.get('switchboard_tool_calls_total{outcome="ok",tool="weather"}')).toBe(1);
  expect(during.get('switchboard_upstream_connect_seconds_count')).toBeGreaterThanOrEqual(1);

  await call.hangup();
  await eventually(() => h.switchboard.calls.size === 0, 3000, 'the call ended');
  const after = await samples(h);
  expect(after.get('switchboard_active_calls{state="connected"}')).toBe(0);
  expect(after.get('switchboard_calls_ended_total{reason="caller_hangup"}')).toBe(1);
  expect(after.get('switchboard_call_duration_seconds_count')).toBe(1);
  expect(after.get('switchboard_tool_calls_total{outcome="ok",tool="weather"}')).toBe(1);
  expect(after.get('switchboard_tool_call_duration_seconds_count{tool="weather"}')).toBe(1);
  // An ended call's frames stay counted: counters never go back.
  expect(after.get('switchboard_frames_total{direction="in"}')).toBeGreaterThanOrEqual(during.get('switchboard_frames_total{direction="in"}')!);
  expect(after.get('switchboard_rejected_frames_total{reason="not_json"}')).toBe(1);
});

test('caller audio held while the session connects is counted, as many frames as the call logged', async () => {
  await using h = await startHarness({ realtime: { connectDelayMs: 300 } });
  const call = await h.twilio.call(); // the stream starts at once: the pre-warm has not finished
  await call.sendAudio(pattern(160 * 10, 3));
  await eventually(() => h.logs.some((l) => l.includes('upstream ready') && l.includes(call.callSid)), 3000, 'upstream ready');
  const logged = Number(/heldFrames=(\d+)/.exec(h.logs.find((l) => l.includes('upstream ready'))!)?.[1]);
  expect(logged).toBeGreaterThan(0);
  expect((await samples(h)).get('switchboard_held_frames_total')).toBe(logged);
  await call.hangup();
});
