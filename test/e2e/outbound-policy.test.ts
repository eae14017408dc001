// The outbound policy against toll fraud, through POST /calls on loopback with a fake Twilio REST
// API: destinations outside the allowed prefixes or in premium and high-fraud ranges, the dial-rate
// caps (per minute, per day, shared by instances sharing a store), and calls ringing holding their
// lines. Every refusal is one line, a masked log line and a count in /metrics, and Twilio hears
// nothing of it.
import { expect, test } from 'bun:test';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli, scratchDir } from '../cli.ts';
import { ADMIN_TOKEN, PUBLIC_URL, type Harness } from '../harness.ts';
import { AGENTS, CALLEE, outboundHarness, postCall } from '../outbound.ts';
import { freshPostgres, POSTGRES_URL } from '../postgres.ts';
import { PLACED_CALL_TTL_MS } from '../../src/outbound/placed-calls.ts';

const answer = async (r: Response) => `${r.status} ${await r.text()}`;
const PREMIUM = '+19005550123';
const SATELLITE = '+8821234560123';
const ABROAD = '+447700900123';
/** Jamaica: a +1 number that is an international call. */
const ONE_RING = '+18765550123';
/** 12:00:10 UTC: 50 s left in the minute. */
const T0 = Date.UTC(2026, 2, 1, 12, 0, 10);

async function metrics(h: Harness): Promise<string> {
  const r = await fetch(`${h.switchboard.url.origin}/metrics`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
  return r.text();
}
const refusedMetric = (text: string, reason: string) => Number(new RegExp(`^switchboard_outbound_refused_total\\{reason="${reason}"\\} (\\d+)$`, 'm').exec(text)?.[1]);

test('premium, satellite and unlisted destinations are refused with the reason, logged masked and counted; Twilio is not asked; an allowed one is dialled', async () => {
  const { rest, h } = await outboundHarness(AGENTS);
  await using _rest = rest;
  await using _h = h;
  expect(await answer(await postCall(h, { to: PREMIUM }))).toBe(
    '403 refused: +1900 is North American premium-rate (900) numbers; to call it, list "+1900" in outbound.allowed_destinations (allowing +1 does not include it)\n',
  );
  expect(await answer(await postCall(h, { to: SATELLITE }))).toBe(
    '403 refused: +882 is not allowed: without outbound.allowed_destinations, calls go only to +1, the country code of the number they come from; add the prefix to outbound.allowed_destinations to call there\n',
  );
  expect(await answer(await postCall(h, { to: ABROAD }))).toBe(
    '403 refused: +44 is not allowed: without outbound.allowed_destinations, calls go only to +1, the country code of the number they come from; add the prefix to outbound.allowed_destinations to call there\n',
  );
  expect(await answer(await postCall(h, { to: ONE_RING }))).toStartWith('403 refused: +1876 is Jamaica, ');
  expect(rest.requests).toEqual([]);

  expect((await postCall(h, { to: CALLEE })).status).toBe(201);
  expect(rest.calls.map((c) => c.form.To)).toEqual([CALLEE]);

  const refusals = h.logs.filter((l) => l.includes('outbound call refused'));
  // The last four digits only.
  expect(refusals.map((l) => / reason=(\S+) to=(\S+)/.exec(l)?.slice(1).join(' '))).toEqual([
    `high_risk ${'*'.repeat(PREMIUM.length - 4)}0123`,
    `destination ${'*'.repeat(SATELLITE.length - 4)}0123`,
    `destination ${'*'.repeat(ABROAD.length - 4)}0123`,
    `high_risk ${'*'.repeat(PREMIUM.length - 4)}0123`,
  ]);
  for (const number of [PREMIUM, SATELLITE, ABROAD, ONE_RING]) expect(h.logs.join('\n')).not.toContain(number.slice(1));
  const text = await metrics(h);
  expect(refusedMetric(text, 'high_risk')).toBe(2);
  expect(refusedMetric(text, 'destination')).toBe(2);
  expect(text).toContain('switchboard_outbound_placed_total 1');
});

test('allowed_destinations: listed prefixes only; a premium range listed explicitly is dialled, and check warns at its line', async () => {
  const yaml = `outbound:\n  allowed_destinations: ["+1", "+44", "+1900"]\n${AGENTS}`;
  const { rest, h } = await outboundHarness(yaml);
  await using _rest = rest;
  await using _h = h;
  for (const to of [CALLEE, ABROAD, PREMIUM]) expect((await postCall(h, { to })).status).toBe(201);
  // +882 is in no listed prefix; +1976 is a premium range "+1" does not open.
  expect(await answer(await postCall(h, { to: SATELLITE }))).toStartWith('403 refused: +882 is not allowed: outbound.allowed_destinations lists +1, +44, +1900;');
  expect(await answer(await postCall(h, { to: '+19765550123' }))).toStartWith('403 refused: +1976 is North American premium-rate (976) numbers;');
  expect(rest.calls.map((c) => c.form.To)).toEqual([CALLEE, ABROAD, PREMIUM]);

  const check = await runCli(['check'], {}, scratchDir({ 'agents.yaml': yaml }));
  expect(check.code).toBe(0);
  const lines = check.stderr.trimEnd().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toStartWith('agents.yaml:2:39  ');
  expect(lines[0]).toEndWith(
    'outbound.allowed_destinations[2]: +1900 allows calls to +1900, North American premium-rate (900) numbers, where toll fraud sends calls; keep it only if you mean to call there',
  );
});

test('max_per_minute: 429 with Retry-After until the minute turns, and Twilio is not asked; then calls go again', async () => {
  const clock = { now: T0 };
  const { rest, h } = await outboundHarness(`outbound: { max_per_minute: 2 }\n${AGENTS}`, { timings: { outboundClock: () => clock.now } });
  await using _rest = rest;
  await using _h = h;
  for (let i = 0; i < 2; i++) expect((await postCall(h, { to: CALLEE })).status).toBe(201);
  const refused = await postCall(h, { to: CALLEE });
  expect(refused.status).toBe(429);
  expect(refused.headers.get('retry-after')).toBe('50');
  expect(await refused.text()).toBe('refused: 2 calls placed this minute already (outbound.max_per_minute); try again in 50 s\n');
  expect(rest.requests).toHaveLength(2);
  // The refused call held no line: only the two placed ones ring.
  expect(h.switchboard.context.dialler.placed.size).toBe(2);

  clock.now = T0 + 50_000;
  expect((await postCall(h, { to: CALLEE })).status).toBe(201);
  expect(rest.requests).toHaveLength(3);
  expect(refusedMetric(await metrics(h), 'rate_minute')).toBe(1);
  expect(h.logs.some((l) => l.includes('outbound call refused') && l.includes('reason=rate_minute') && l.includes('to=********4321'))).toBe(true);
});

test('max_per_day: 429 until midnight UTC, whatever the minute', async () => {
  const clock = { now: T0 };
  const { rest, h } = await outboundHarness(`outbound: { max_per_day: 3 }\n${AGENTS}`, { timings: { outboundClock: () => clock.now } });
  await using _rest = rest;
  await using _h = h;
  for (let i = 0; i < 3; i++) {
    expect((await postCall(h, { to: CALLEE })).status).toBe(201);
    clock.now += 60_000;
  }
  const refused = await postCall(h, { to: CALLEE });
  expect(refused.status).toBe(429);
  expect(Number(refused.headers.get('retry-after'))).toBe((Date.UTC(2026, 2, 2) - clock.now) / 1000);
  expect(await refused.text()).toBe('refused: 3 calls placed today already (outbound.max_per_day, days in UTC); try again after 00:00 UTC\n');
  expect(rest.requests).toHaveLength(3);
  clock.now = Date.UTC(2026, 2, 2, 0, 0, 1);
  expect((await postCall(h, { to: CALLEE })).status).toBe(201);
  expect(refusedMetric(await metrics(h), 'rate_day')).toBe(1);
});

/** Two servers on one store: the cap is theirs together. */
async function sharedCap(store: string) {
  const clock = { now: T0 };
  const yaml = `outbound: { max_per_minute: 3 }\n${AGENTS}`;
  const timings = { outboundClock: () => clock.now };
  const a = await outboundHarness(yaml, { store, timings });
  await using _aRest = a.rest;
  await using _a = a.h;
  const b = await outboundHarness(yaml, { store, timings });
  await using _bRest = b.rest;
  await using _b = b.h;
  expect((await postCall(a.h, { to: CALLEE })).status).toBe(201);
  expect((await postCall(b.h, { to: CALLEE })).status).toBe(201);
  expect((await postCall(a.h, { to: CALLEE })).status).toBe(201);
  expect((await postCall(b.h, { to: CALLEE })).status).toBe(429);
  expect((await postCall(a.h, { to: CALLEE })).status).toBe(429);
  expect(a.rest.requests.length + b.rest.requests.length).toBe(3);
  clock.now += 60_000;
  expect((await postCall(b.h, { to: CALLEE })).status).toBe(201);
  // The store answered every count: no instance fell back to its own memory.
  for (const h of [a.h, b.h]) expect(h.logs.some((l) => l.includes('counted in memory'))).toBe(false);
}

test('two servers sharing an SQLite store share the per-minute cap', async () => {
  await sharedCap(`sqlite://${join(mkdtempSync(join(tmpdir(), 'sb-outbound-')), 'shared.db')}`);
});

test.skipIf(!POSTGRES_URL)('two servers sharing a PostgreSQL store share the per-minute cap', async () => {
  await sharedCap((await freshPostgres())!);
});

test('calls ringing hold their lines: of 50 requests at once with max_concurrent_calls 2, exactly 2 are dialled; a no-answer frees one', async () => {
  const clock = { now: T0 };
  const { rest, h } = await outboundHarness(`limits: { max_concurrent_calls: 2 }\n${AGENTS}`, { timings: { outboundClock: () => clock.now } });
  await using _rest = rest;
  await using _h = h;
  const answers = await Promise.all(Array.from({ length: 50 }, () => postCall(h, { to: CALLEE }).then((r) => r.status)));
  expect(answers.filter((s) => s === 201)).toHaveLength(2);
  expect(answers.filter((s) => s === 429)).toHaveLength(48);
  expect(rest.requests).toHaveLength(2);
  expect(refusedMetric(await metrics(h), 'capacity')).toBe(48);
  expect(await metrics(h)).toContain('switchboard_outbound_ringing 2');
  // An inbound call meets the same count: a line is a line.
  expect((await h.twilio.webhook()).twiml!.verbs).toEqual(['Say', 'Hangup']);

  const [first, second] = rest.calls;
  // Still ringing: the line stays held.
  expect((await rest.status(first!.sid, h.twilio, 'ringing'))!.status).toBe(204);
  expect((await postCall(h, { to: CALLEE })).status).toBe(429);
  // An unsigned status callback (anyone could send one) frees nothing.
  const forged = await h.twilio.request(`${PUBLIC_URL}/outbound-status`, { CallSid: first!.sid, CallStatus: 'no-answer' }, { sign: false });
  expect(forged.status).toBe(403);
  expect((await postCall(h, { to: CALLEE })).status).toBe(429);

  expect((await rest.status(first!.sid, h.twilio, 'no-answer'))!.status).toBe(204);
  expect(h.logs.some((l) => l.includes('outbound call ended before its stream') && l.includes(first!.sid) && l.includes('status=no-answer'))).toBe(true);
  expect((await postCall(h, { to: CALLEE })).status).toBe(201);
  expect(rest.requests).toHaveLength(3);

  // A call whose callbacks never come stops counting after its ring timeout and a margin.
  expect((await postCall(h, { to: CALLEE })).status).toBe(429);
  clock.now += PLACED_CALL_TTL_MS;
  expect(h.switchboard.context.dialler.placed.size).toBe(0);
  expect((await postCall(h, { to: CALLEE })).status).toBe(201);
  expect(second).toBeDefined();
});

test('answered, a placed call is handed to the stream token: it counts as greeting, and no longer as ringing', async () => {
  const { rest, h } = await outboundHarness(`limits: { max_concurrent_calls: 1 }\n${AGENTS}`);
  await using _rest = rest;
  await using _h = h;
  expect((await postCall(h, { to: CALLEE })).status).toBe(201);
  const { sid } = rest.calls[0]!;
  expect((await rest.status(sid, h.twilio, 'in-progress'))!.status).toBe(204);
  const answered = await rest.answer(sid, h.twilio);
  // Its own line, not a second one: the callee reaches the agent, not the busy message.
  expect(answered.twiml!.verbs).toEqual(['Connect']);
  expect(h.switchboard.context.dialler.placed.size).toBe(0);
  expect(h.switchboard.context.tokens.pending).toBe(1);
  // Hung up during the greeting: the completed callback frees the line the token held.
  expect((await rest.status(sid, h.twilio, 'completed'))!.status).toBe(204);
  expect(h.switchboard.context.tokens.pending).toBe(0);
  expect((await postCall(h, { to: CALLEE })).status).toBe(201);
});
