// When a call cannot go on, the server closes the stream and the <Connect action> answers with the
// configured fallback: the caller always hears something, and the log says why.
import { expect, test } from 'bun:test';
import { eventually, liveCall, SHIPPED_YAML, startHarness } from '../harness.ts';

const APOLOGY = '<Say>Sorry, something went wrong on our side. Please call again later.</Say><Hangup/>';

/** The shipped YAML with extra top-level YAML prepended. */
const withYaml = (extra: string) => `${extra}\n${SHIPPED_YAML}`;

async function endedWith(h: Awaited<ReturnType<typeof startHarness>>, callSid: string, reason: string) {
  await eventually(() => h.logs.some((l) => l.includes('call ended') && l.includes(`callSid=${callSid}`)), 3000, 'call ended');
  const line = h.logs.find((l) => l.includes('call ended') && l.includes(`callSid=${callSid}`))!;
  expect(line).toContain(`reason=${reason}`);
}

test('upstream refuses (401): stream closed at once, default apology, the key named in the log with the call', async () => {
  await using h = await startHarness({ realtime: { refuse: 401 } });
  const call = await h.twilio.call();
  await call.closed;
  await endedWith(h, call.callSid, 'upstream_failed');
  const action = await call.requestAction();
  expect(action.body).toContain(APOLOGY);
  // The pre-warmed session failed while the caller heard <Say>: said then, with the CallSid, and
  // the stream ended on it instead of trying the same key again.
  const why = 'the Realtime API refused the API key (401): check OPENAI_API_KEY (it needs Realtime access)';
  const prewarm = h.logs.find((l) => l.includes('pre-warmed session failed'));
  expect(prewarm).toContain(`callSid=${call.callSid}`);
  expect(prewarm).toContain(why);
  expect(h.logs.find((l) => l.includes('upstream connect failed'))).toContain(`callSid=${call.callSid}`);
  expect(h.realtime.upgradeAttempts).toBe(1);
});

test('upstream unreachable: the same, quickly', async () => {
  const closedPort = (() => {
    const s = Bun.serve({ port: 0, fetch: () => new Response() });
    const port = s.port;
    s.stop(true);
    return port;
  })();
  await using h = await startHarness({ yaml: withYaml(`openai:\n  url: ws://127.0.0.1:${closedPort}/v1/realtime`).replace(/\nopenai:\n  model: [^\n]*/, '') });
  const call = await h.twilio.call();
  await call.closed;
  await endedWith(h, call.callSid, 'upstream_failed');
  expect((await call.requestAction()).body).toContain(APOLOGY);
});

test('upstream slower than connect_timeout_seconds: given up on, configured fallback dials a human', async () => {
  const yaml = withYaml('limits: { connect_timeout_seconds: 0.3 }\nfallback: { say: "Let me put you through.", dial: "+15550001234" }');
  await using h = await startHarness({ yaml, realtime: { connectDelayMs: 2000 } });
  const call = await h.twilio.call();
  const started = Date.now();
  await call.closed;
  expect(Date.now() - started).toBeLessThan(1500);
  await endedWith(h, call.callSid, 'upstream_timeout');
  expect((await call.requestAction()).body).toContain('<Say>Let me put you through.</Say><Dial>+15550001234</Dial>');
  await eventually(() => h.realtime.openCount === 0, 3000, 'no upstream left open');
});

test('upstream drops mid-call: stream closed, per-agent fallback wins over the global one', async () => {
  const yaml = SHIPPED_YAML.replace('    say: O.K. you can start talking!', '    say: O.K. you can start talking!\n    fallback: { say: "The greeter is unwell." }');
  await using h = await startHarness({ yaml });
  const { call, upstream } = await liveCall(h);
  await eventually(() => h.logs.some((l) => l.includes('upstream ready')), 3000, 'upstream ready');
  upstream.drop();
  await call.closed;
  await endedWith(h, call.callSid, 'upstream_closed');
  expect((await call.requestAction()).body).toContain('<Say>The greeter is unwell.</Say><Hangup/>');
});

test('max_call_seconds ends the call through the fallback', async () => {
  await using h = await startHarness({ yaml: withYaml('limits: { max_call_seconds: 0.3 }') });
  const call = await h.twilio.call();
  await (await h.realtime.nextSession()).waitFor('session.update');
  await call.closed;
  await endedWith(h, call.callSid, 'max_duration');
  expect((await call.requestAction()).body).toContain(APOLOGY);
});

test('idle_seconds: no audio either way ends the call', async () => {
  await using h = await startHarness({ yaml: withYaml('limits: { idle_seconds: 0.3 }') });
  const { call, upstream } = await liveCall(h);
  await call.closed;
  await endedWith(h, call.callSid, 'idle');
  await upstream.closed;
});

test('a caller who hangs up gets a plain hang-up from the action URL', async () => {
  await using h = await startHarness();
  const call = await h.twilio.call();
  await (await h.realtime.nextSession()).waitFor('session.update');
  await call.hangup();
  await endedWith(h, call.callSid, 'caller_hangup');
  expect((await call.requestAction()).body).toBe('<?xml version="1.0" encoding="UTF-8"?><Response><Hangup/></Response>');
});

test('hang-up while the upstream is still connecting leaves no upstream session behind', async () => {
  await using h = await startHarness({ realtime: { connectDelayMs: 400 } });
  const call = await h.twilio.call();
  await eventually(() => h.realtime.upgradeAttempts === 1, 2000, 'upstream connect under way');
  await call.hangup();
  await endedWith(h, call.callSid, 'caller_hangup');
  // Wait past the fake's accept delay: the half-open upstream must be closed, not adopted.
  await Bun.sleep(600);
  expect(h.realtime.openCount).toBe(0);
  expect(h.switchboard.calls.size).toBe(0);
});
