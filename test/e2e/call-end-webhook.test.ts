// The post-call webhook against a real HTTP receiver on loopback: the summary of the call that
// ended, signed over its timestamp, retried on a 5xx and a timeout, given up cleanly, once per call.
import { expect, test } from 'bun:test';
import { createHmac } from 'node:crypto';
import { ADMIN_TOKEN, eventually, liveCall, pattern, startHarness, type Harness } from '../harness.ts';
import { parsePrometheus } from '../prometheus.ts';

const SECRET = 'whsec-test-never-log-me-0123456789';
const TOKEN = 'receiver-token-never-log-me-42';
const CALLER = '+15557654321';
const NOW_MS = 1_767_225_600_000; // the injected clock: 2026-01-01T00:00:00Z

type Reply = number | 'hang';

/** The webhook's series in GET /metrics. */
async function webhookMetrics(h: Harness) {
  const response = await fetch(`${h.switchboard.url.origin}/metrics`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
  const samples = parsePrometheus(await response.text());
  const delivery = (outcome: string) => samples.get(`switchboard_call_end_webhooks_total{outcome="${outcome}"}`);
  return {
    delivered: delivery('delivered'),
    gaveUp: delivery('gave_up'),
    duplicate: delivery('duplicate'),
    retries: samples.get('switchboard_call_end_webhook_retries_total'),
    pending: samples.get('switchboard_call_end_webhooks_pending'),
  };
}
interface Received {
  headers: Headers;
  body: string;
}

/** A receiver answering each request with the next reply (200 once they run out); 'hang' never answers. */
function startReceiver(replies: Reply[] = []) {
  const requests: Received[] = [];
  const waiters: { n: number; resolve: () => void }[] = [];
  const hanging: (() => void)[] = [];
  const server = Bun.serve({
    port: 0,
    hostname: '127.0.0.1',
    async fetch(req) {
      requests.push({ headers: req.headers, body: await req.text() });
      for (const w of waiters.filter((w) => requests.length >= w.n)) w.resolve();
      const reply = replies[requests.length - 1] ?? 200;
      if (reply === 'hang') return new Promise<Response>((resolve) => hanging.push(() => resolve(new Response('late'))));
      return new Response(null, { status: reply });
    },
  });
  return {
    url: `http://127.0.0.1:${server.port}/hooks/call-ended`,
    requests,
    /** Resolves once `n` requests have arrived. */
    received(n: number): Promise<void> {
      if (requests.length >= n) return Promise.resolve();
      const { promise, resolve } = Promise.withResolvers<void>();
      waiters.push({ n, resolve });
      return promise;
    },
    async [Symbol.asyncDispose]() {
      for (const answer of hanging) answer();
      await server.stop(true);
    },
  };
}

const yaml = (url: string, extra = '') => `
agents:
  greeter: { instructions: Greet., tools: [weather], handoffs: [billing] }
  billing: { instructions: Bill. }
tools:
  weather:
    description: The weather.
    parameters: { location: { type: string } }
    result: "Sunny in {{location}}."
on_call_end:
  url: ${url}
  secret: \${WEBHOOK_SECRET}
  headers: { Authorization: "Bearer \${HOOK_TOKEN}" }
${extra}`;

/** `delays` collects the retry numbers backoff was asked about; each wait is `delayMs`. */
async function harness(url: string, extra = '', { delays = [] as number[], delayMs = 1 } = {}) {
  return startHarness({
    yaml: yaml(url, extra),
    env: { WEBHOOK_SECRET: SECRET, HOOK_TOKEN: TOKEN },
    secrets: [SECRET, TOKEN, CALLER],
    timings: { webhook: { now: () => NOW_MS, retryDelayMs: (retry) => (delays.push(retry), delayMs) } },
  });
}

/** Independent of the code under test: HMAC-SHA256(secret, "timestamp.body"), hex. */
function validSignature({ headers, body }: Received): boolean {
  const timestamp = headers.get('x-switchboard-timestamp') ?? '';
  const expected = createHmac('sha256', SECRET).update(`${timestamp}.${body}`).digest('hex');
  return headers.get('x-switchboard-signature') === `v1=${expected}` && timestamp === String(NOW_MS / 1000);
}

const logged = (h: Harness, text: string) => eventually(() => h.logs.some((l) => l.includes(text)), 3000, text);

test('the summary of the call that ended reaches the receiver, signed, with its own headers', async () => {
  await using receiver = startReceiver();
  await using h = await harness(receiver.url);
  const { call, upstream } = await liveCall(h, { params: { From: CALLER, To: '+15550001111' } });
  await call.sendAudio(pattern(800, 1));
  upstream.speechStarted();
  upstream.userTranscript(upstream.speechStopped(), 'Weather in Oslo, then billing please.');
  const { callId } = await upstream.callTool('weather', { location: 'Oslo' });
  await upstream.waitFor('conversation.item.create', (e) => e.item?.call_id === callId);
  await upstream.speak(pattern(320, 2), { transcript: 'Sunny in Oslo. Passing you to billing.' });
  await call.waitForAudioBytes(320);
  const handoff = await upstream.callTool('transfer_to_billing', {});
  await upstream.waitFor('conversation.item.create', (e) => e.item?.call_id === handoff.callId);
  call.sendDtmf('4');
  await call.hangup();

  await receiver.received(1);
  const [request] = receiver.requests;
  expect(validSignature(request!)).toBe(true);
  expect(request!.headers.get('authorization')).toBe(`Bearer ${TOKEN}`);
  expect(request!.headers.get('content-type')).toBe('application/json');
  expect(request!.headers.get('x-switchboard-delivery')).toMatch(/^[0-9a-f-]{36}$/);
  const body = JSON.parse(request!.body);
  expect(body).toEqual({
    event: 'call.ended',
    call_sid: call.callSid,
    stream_sid: expect.stringMatching(/^MZ/),
    from: CALLER,
    to: '+15550001111',
    direction: 'inbound',
    parameters: {},
    agent: 'greeter',
    agents: ['greeter', 'billing'],
    handoffs: [{ from: 'greeter', to: 'billing', at_seconds: expect.any(Number) }],
    started_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT.*Z$/),
    ended_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT.*Z$/),
    duration_seconds: expect.any(Number),
    end_reason: 'caller_hangup',
    transfer: null,
    transcript: [
      { role: 'caller', agent: null, text: 'Weather in Oslo, then billing please.' },
      { role: 'agent', agent: 'greeter', text: 'Sunny in Oslo. Passing you to billing.' },
    ],
    tool_calls: [{ name: 'weather', arguments: '{"location":"Oslo"}', result: 'Sunny in Oslo.' }],
    guardrails: [],
  });
  // Keypad digits stay out of it.
  expect(request!.body).not.toContain('"4"');
  await logged(h, 'post-call webhook delivered');
  expect(h.logs.find((l) => l.includes('post-call webhook delivered'))).toContain(`callSid=${call.callSid} status=200 attempts=1`);
});

test('a 500 and a timeout are retried with backoff, the same delivery each time, freshly signed', async () => {
  await using receiver = startReceiver([500, 'hang', 204]);
  const delays: number[] = [];
  await using h = await harness(receiver.url, '  timeout_ms: 200\n  retries: 3\n', { delays });
  const { call } = await liveCall(h);
  await call.hangup();

  await receiver.received(3);
  await logged(h, 'post-call webhook delivered');
  expect(receiver.requests.every(validSignature)).toBe(true);
  expect(new Set(receiver.requests.map((r) => r.body)).size).toBe(1);
  expect(new Set(receiver.requests.map((r) => r.headers.get('x-switchboard-delivery'))).size).toBe(1);
  expect(delays).toEqual([1, 2]);
  const lines = h.logs.filter((l) => l.includes('post-call webhook'));
  expect(lines[0]).toContain(`post-call webhook failed; will retry callSid=${call.callSid} attempt=1 error="HTTP 500" retryInMs=1`);
  expect(lines[1]).toContain(`post-call webhook failed; will retry callSid=${call.callSid} attempt=2 error="no answer within 200 ms" retryInMs=1`);
  expect(lines[2]).toContain(`post-call webhook delivered callSid=${call.callSid} status=204 attempts=3`);
  expect(h.switchboard.callEndWebhook.stats).toEqual({ delivered: 1, retried: 2, gaveUp: 0, duplicates: 0 });
  expect(await webhookMetrics(h)).toEqual({ delivered: 1, gaveUp: 0, duplicate: 0, retries: 2, pending: 0 });
});

test('after its retries it gives up, logged and counted; a refusal (4xx) is not retried', async () => {
  await using receiver = startReceiver([500, 503, 502, 400]);
  await using h = await harness(receiver.url, '  retries: 2\n');
  const first = await liveCall(h);
  await first.call.hangup();
  await receiver.received(3);
  await logged(h, 'post-call webhook gave up');
  expect(h.logs.find((l) => l.includes('post-call webhook gave up'))).toContain(
    `post-call webhook gave up callSid=${first.call.callSid} attempts=3 error="HTTP 502" gaveUpSinceStart=1`,
  );

  const second = await liveCall(h);
  await second.call.hangup();
  await receiver.received(4);
  await eventually(() => h.switchboard.callEndWebhook.stats.gaveUp === 2, 3000, 'second give-up');
  expect(h.logs.filter((l) => l.includes('post-call webhook gave up')).at(-1)).toContain(
    `callSid=${second.call.callSid} attempts=1 error="HTTP 400" gaveUpSinceStart=2`,
  );
  expect(h.switchboard.callEndWebhook.stats).toEqual({ delivered: 0, retried: 2, gaveUp: 2, duplicates: 0 });
  expect(await webhookMetrics(h)).toEqual({ delivered: 0, gaveUp: 2, duplicate: 0, retries: 2, pending: 0 });
  expect(receiver.requests.length).toBe(4);
});

test('one delivery per call, and a drain waits for a delivery still being retried', async () => {
  await using receiver = startReceiver([500, 200]);
  // The retry comes after the 2 s a drain stays up anyway for the fallback: only the grace covers it.
  await using h = await harness(receiver.url, '', { delayMs: 2500 });
  const { call } = await liveCall(h);
  await call.hangup();
  await receiver.received(1);
  // Its retry waits: pending until it is delivered.
  await eventually(() => h.switchboard.callEndWebhook.stats.retried === 1, 3000, 'the first attempt to fail');
  expect(await webhookMetrics(h)).toEqual({ delivered: 0, gaveUp: 0, duplicate: 0, retries: 1, pending: 1 });
  await h.switchboard.drain(5000);
  expect(receiver.requests.length).toBe(2);
  expect(h.switchboard.callEndWebhook.stats).toEqual({ delivered: 1, retried: 1, gaveUp: 0, duplicates: 0 });

  // The same call's summary again (were an ending ever reported twice): refused, not sent.
  const summary = JSON.parse(receiver.requests[0]!.body);
  h.switchboard.callEndWebhook.send(h.switchboard.context.agentSet.config.on_call_end!, summary);
  expect(h.switchboard.callEndWebhook.stats.duplicates).toBe(1);
  expect(h.logs.at(-1)).toContain(`post-call webhook already sent for this call; not sending it again callSid=${call.callSid}`);
  expect(receiver.requests.length).toBe(2);
});
