// The public edge: status codes, the concurrency cap, single-use stream tokens, frame limits and
// admin endpoints. Every refusal happens before any upstream (OpenAI) connection.
import { describe, expect, test } from 'bun:test';
import { ADMIN_TOKEN, API_KEY, AUTH_TOKEN, eventually, liveCall, SHIPPED_YAML, startHarness } from '../harness.ts';

describe('webhook requests', () => {
  test('wrong method 405, oversized body 413, wrong content type 415, unknown path 404', async () => {
    await using h = await startHarness();
    const origin = h.switchboard.url.origin;
    const hook = `${origin}/incoming-call`;
    for (const method of ['PUT', 'DELETE', 'PATCH']) {
      const res = await fetch(hook, { method, body: 'x' });
      expect({ method, status: res.status }).toEqual({ method, status: 405 });
    }
    const form = { 'content-type': 'application/x-www-form-urlencoded' };
    expect((await fetch(hook, { method: 'POST', headers: form, body: `CallSid=CA1&Junk=${'x'.repeat(70_000)}` })).status).toBe(413);
    expect((await fetch(hook, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'CallSid=CA1' })).status).toBe(415);
    expect((await fetch(hook, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })).status).toBe(415);
    expect((await fetch(`${origin}/wp-login.php`)).status).toBe(404);
    expect(h.realtime.upgradeAttempts).toBe(0);
  });

  test('the <Connect action> URL is signed like every Twilio request', async () => {
    await using h = await startHarness();
    const res = await fetch(`${h.switchboard.url.origin}/call-ended`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'CallSid=CA1',
    });
    expect(res.status).toBe(403);
  });
});

test('at max_concurrent_calls the webhook says busy and hangs up, with no upstream opened', async () => {
  await using h = await startHarness({
    yaml: `limits: { max_concurrent_calls: 2, busy_say: "All lines busy." }\n${SHIPPED_YAML}`,
  });
  const first = await h.twilio.call();
  await (await h.realtime.nextSession()).waitFor('session.update');
  // A second caller is still listening to <Say>: its stream has not started, but it counts.
  const second = await h.twilio.webhook();
  expect(second.twiml?.streamUrl).toBeDefined();

  await eventually(() => h.realtime.upgradeAttempts === 2, 2000, 'second call pre-warmed');

  const third = await h.twilio.webhook();
  expect(third.body).toBe('<?xml version="1.0" encoding="UTF-8"?><Response><Say>All lines busy.</Say><Hangup/></Response>');
  await Bun.sleep(50); // a pre-warm would have started connecting by now
  expect(h.realtime.upgradeAttempts).toBe(2);
  expect(h.logs.some((l) => l.includes('busy: call turned away'))).toBe(true);

  // A call ending frees its line.
  await first.hangup();
  await eventually(() => h.switchboard.calls.size === 0, 2000, 'first call gone');
  expect((await h.twilio.webhook()).twiml?.streamUrl).toBeDefined();
});

describe('stream tokens', () => {
  test('missing, wrong, reused or minted for another CallSid: refused before any upstream work', async () => {
    await using h = await startHarness();
    const genuine = await h.twilio.webhook();
    const twiml = genuine.twiml!;
    const { token, agent } = twiml.parameters as { token: string; agent: string };
    const callSid = genuine.params.CallSid!;

    const attempts: { name: string; customParameters: Record<string, string>; params?: Record<string, string> }[] = [
      { name: 'missing', customParameters: { agent } },
      { name: 'wrong', customParameters: { agent, token: `${Date.now() + 60_000}.forged` } },
      { name: 'another CallSid', customParameters: { agent, token }, params: { CallSid: 'CA' + 'f'.repeat(32) } },
    ];
    for (const { name, customParameters, params } of attempts) {
      const call = await h.twilio.call({ twiml, customParameters, params: params ?? { CallSid: callSid } });
      const closed = await call.closed;
      expect({ name, code: closed.code }).toEqual({ name, code: 1008 });
    }
    // The webhook pre-warmed one upstream for its call; the refused streams opened none.
    await eventually(() => h.realtime.upgradeAttempts === 1, 2000, 'pre-warm');
    expect(h.realtime.sessions.length).toBeLessThanOrEqual(1);

    // The genuine stream gets through once; a replay of the same start (same signature, same
    // token) is refused.
    const real = await h.twilio.call({ twiml, params: { CallSid: callSid } });
    await (await h.realtime.nextSession()).waitFor('session.update');
    const replay = await h.twilio.call({ twiml, params: { CallSid: callSid } });
    expect((await replay.closed).code).toBe(1008);
    expect(h.realtime.upgradeAttempts).toBe(1); // the real stream adopted the pre-warmed session
    expect(h.logs.filter((l) => l.includes('stream refused: stream token')).map((l) => /result=(\w+)/.exec(l)?.[1])).toEqual([
      'missing',
      'invalid',
      'invalid',
      'reused',
    ]);
    await real.hangup();
  });
});

test('a frame over the limit closes that stream with a policy violation, and only that stream', async () => {
  await using h = await startHarness();
  const bystander = await h.twilio.call();
  await (await h.realtime.nextSession()).waitFor('session.update');
  const victim = await h.twilio.call();
  await (await h.realtime.nextSession()).waitFor('session.update');
  victim.sendRaw(JSON.stringify({ event: 'media', media: { payload: 'A'.repeat(40_000) } }));
  expect((await victim.closed).code).toBe(1008);
  expect(bystander.isOpen).toBe(true);
  await bystander.hangup();
});

describe('admin and status', () => {
  test('GET /calls needs the admin bearer token', async () => {
    await using h = await startHarness();
    const { call } = await liveCall(h);
    const url = `${h.switchboard.url.origin}/calls`;
    expect((await fetch(url)).status).toBe(401);
    expect((await fetch(url, { headers: { authorization: 'Bearer wrong' } })).status).toBe(401);
    expect((await fetch(url, { headers: { authorization: `Basic ${btoa(`x:${ADMIN_TOKEN}`)}` } })).status).toBe(401);
    const ok = await fetch(url, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual([{ callSid: call.callSid, state: 'connected', agent: 'greeter', seconds: 0, upstreamReady: true, live: true }]);
    await call.hangup();
  });

  test('the status page holds no secret', async () => {
    await using h = await startHarness();
    const body = await (await fetch(`${h.switchboard.url.origin}/`)).text();
    expect(JSON.parse(body)).toMatchObject({ name: 'switchboard', agents: ['greeter'], activeCalls: 0 });
    for (const secret of [API_KEY, AUTH_TOKEN, ADMIN_TOKEN]) expect(body).not.toContain(secret);
  });
});

test('header values from the YAML never reach the log', async () => {
  const secret = 'mcp-header-secret-value';
  const yaml = SHIPPED_YAML.replace('    url: https://mcp.deepwiki.com/sse', '    url: https://mcp.deepwiki.com/sse\n    headers: { Authorization: "Bearer ${MCP_TOKEN}" }');
  await using h = await startHarness({ yaml, env: { MCP_TOKEN: secret }, secrets: [secret] });
  const call = await h.twilio.call();
  const update = await (await h.realtime.nextSession()).waitFor('session.update');
  // It does reach the provider, which needs it.
  expect(JSON.stringify(update)).toContain(secret);
  await call.hangup();
});
