// What the status endpoints say about calls in their greeting, a call that ends before its stream,
// readiness and draining.
import { expect, test } from 'bun:test';
import { ADMIN_TOKEN, eventually, liveCall, SHIPPED_YAML, startHarness } from '../harness.ts';

const json = async (url: string, token?: string) =>
  (await fetch(url, token ? { headers: { authorization: `Bearer ${token}` } } : {})).json() as Promise<any>;

test('a caller still hearing <Say> is a call in / and /calls, with its pre-warmed session', async () => {
  await using h = await startHarness();
  const webhook = await h.twilio.webhook();
  await (await h.realtime.nextSession()).waitFor('session.update');
  const origin = h.switchboard.url.origin;
  expect(await json(`${origin}/`)).toMatchObject({ activeCalls: 1, greeting: 1, connected: 0, draining: false });
  await eventually(() => h.switchboard.context.prewarm.peek(webhook.params.CallSid!)?.upstream.isReady === true, 2000, 'pre-warmed');
  expect(await json(`${origin}/calls`, ADMIN_TOKEN)).toEqual([
    { callSid: webhook.params.CallSid, state: 'greeting', agent: 'greeter', seconds: 0, upstreamReady: true, live: true },
  ]);
});

test('a call whose stream never started is released at /call-ended: its line and its session', async () => {
  await using h = await startHarness({ yaml: `limits: { max_concurrent_calls: 1 }\n${SHIPPED_YAML}` });
  const first = await h.twilio.webhook();
  const session = await h.realtime.nextSession();
  await session.waitFor('session.update');
  expect((await h.twilio.webhook()).body).toContain('busy');

  // Twilio asks the <Connect action> when the stream could not be opened (or the caller hung up
  // during <Say>): the line and the billed session are given back at once, not after 120 s / 30 s.
  const action = await h.twilio.webhook({ CallSid: first.params.CallSid }, { path: '/call-ended' });
  expect(action.status).toBe(200);
  await session.closed;
  expect(h.switchboard.context.prewarm.size).toBe(0);
  expect(h.logs.some((l) => l.includes('released a call whose stream never started') && l.includes('released=line,session'))).toBe(true);
  expect((await h.twilio.webhook()).body).toContain('<Connect');
});

test('/readyz: ready; not ready after a failed preflight until a session opens; not ready while draining', async () => {
  await using h = await startHarness();
  const readyz = async () => {
    const r = await fetch(`${h.switchboard.url.origin}/readyz`);
    return `${r.status} ${(await r.text()).trim()}`;
  };
  expect(await readyz()).toBe('200 ready');
  h.switchboard.context.readiness.preflight({ ok: false, reason: 'the Realtime API refused the API key (401)' });
  expect(await readyz()).toBe('503 not ready: the Realtime API refused the API key (401)');
  const { call } = await liveCall(h);
  await eventually(() => h.switchboard.context.readiness.problem === undefined, 2000, 'ready again');
  expect(await readyz()).toBe('200 ready');

  const draining = h.switchboard.drain(5000);
  expect(await readyz()).toBe('503 not ready: draining: not taking new calls');
  expect((await json(`${h.switchboard.url.origin}/`)).draining).toBe(true);
  expect(await (await fetch(`${h.switchboard.url.origin}/healthz`)).text()).toBe('ok\n');
  await call.hangup();
  await draining;
});

test('a drain with nothing in progress stops without holding the port for the fallback window', async () => {
  await using h = await startHarness();
  const outcome = await Promise.race([h.switchboard.drain(5000).then(() => 'stopped'), Bun.sleep(1500).then(() => 'still held')]);
  expect(outcome).toBe('stopped');
});

test('/calls without ADMIN_TOKEN says admin endpoints are off', async () => {
  await using h = await startHarness();
  h.switchboard.context.settings.adminToken = undefined;
  const r = await fetch(`${h.switchboard.url.origin}/calls`);
  expect(r.status).toBe(401);
  expect(await r.text()).toBe('Unauthorized: admin endpoints are off; set ADMIN_TOKEN and send it as a Bearer token\n');
});
