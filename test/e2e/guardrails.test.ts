// Output guardrails on a call: the agent starts reading out a card number, the guardrail trips on
// its transcript, the answer is cut off (cancel, Twilio `clear`), the caller hears the guardrail's
// message instead, and the record names the guardrail and what the caller heard, never the number.
import { expect, test } from 'bun:test';
import { join } from 'node:path';
import { HAVE_CHROMIUM, launch } from '../browser/chromium.ts';
import { runCli, scratchDir } from '../cli.ts';
import { getJson, session } from '../console-client.ts';
import { ADMIN_TOKEN, eventually, liveCall, pattern, startHarness, type Harness } from '../harness.ts';

const CARD = '4111 1111 1111 1111';
const SORRY = pattern(320, 200);

const YAML = `
guardrails:
  - name: no-card-numbers
    deny_regex: "\\\\b(?:\\\\d[ -]?){13,16}\\\\b"
    message: "Sorry, I can't read card numbers over the phone."
agents:
  desk:
    instructions: Help.
    guardrails:
      - { name: no-rivals, deny_words: [rival corp], message: "I can only talk about our own products." }
    handoffs: [billing]
  billing:
    instructions: Bill.
`;

/** After a trip the model is asked for a new response: it speaks SORRY. */
const model = { onResponseCreate: (_event: unknown, session: { speak(a: Uint8Array): unknown }) => void session.speak(SORRY) };

const liveCallOf = (h: Harness) => [...h.switchboard.calls][0]!;

/** The console's call page, in Chromium: the trip is a line of the conversation with what the caller heard. */
async function pageShowsTrip(origin: string, callSid: string): Promise<void> {
  const browser = await launch();
  try {
    const page = await browser.newPage();
    await page.goto(`${origin}/console`);
    await page.getByLabel('Admin token').fill(ADMIN_TOKEN);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByRole('heading', { name: 'Live calls' }).waitFor();
    await page.goto(`${origin}/console#/calls/${callSid}`);
    const conversation = page.getByRole('list', { name: 'Conversation' });
    await conversation.getByText('no-card-numbers cut the agent (desk) off.').waitFor();
    expect(await conversation.textContent()).toContain("The caller heard instead: “Sorry, I can't read card numbers over the phone.”");
  } finally {
    await browser.close();
  }
}

test('a card number in the agent\'s words: cut off, the caller hears the message, the record names the guardrail', async () => {
  await using h = await startHarness({ yaml: YAML, realtime: model, secrets: [CARD, '4111'] });
  const { call, upstream } = await liveCall(h);

  // The model speaks, then its transcript reaches the card number.
  await upstream.speak(pattern(800, 1), { done: false });
  await call.waitForAudioBytes(800);
  void upstream.speak(pattern(800, 2), { transcript: `Sure, your card number is ${CARD}, and it expires`, done: false });

  const cancel = await upstream.waitFor('response.cancel');
  await call.waitFor((m) => m.event === 'clear');
  const note = await upstream.waitFor('conversation.item.create', (e) => e.item?.role === 'user');
  const request = await upstream.waitFor('response.create');
  expect(upstream.events.indexOf(cancel)).toBeLessThan(upstream.events.indexOf(request));
  expect(upstream.events.indexOf(note)).toBeLessThan(upstream.events.indexOf(request));
  expect(request.response).toEqual({ instructions: 'Say exactly this, and nothing else: "Sorry, I can\'t read card numbers over the phone."' });
  expect(upstream.eventsOf('response.create')).toHaveLength(1);
  await call.waitForAudioBytes(800 + SORRY.length);
  expect(call.receivedAudio().slice(-SORRY.length)).toEqual(SORRY);

  const record = liveCallOf(h).record;
  expect(record.guardrails).toEqual([{ name: 'no-card-numbers', agent: 'desk', atMs: expect.any(Number), message: "Sorry, I can't read card numbers over the phone." }]);
  // The blocked words stay out of the record's transcript (the harness also fails on the number in any log line).
  await eventually(() => JSON.stringify(liveCallOf(h).upstream!.session.history).includes('4111') === false, 2000, 'the blocked words out of the history');
  await call.hangup();
  await upstream.closed;
  expect(h.logs.filter((l) => l.includes('guardrail tripped')).map((l) => l.slice(l.indexOf('guardrail tripped')))).toEqual([
    `guardrail tripped callSid=${call.callSid} guardrail=no-card-numbers agent=desk`,
  ]);
});

test('an agent\'s own guardrail trips for it alone, the global ones for every agent; ordinary words trip nothing', async () => {
  await using h = await startHarness({ yaml: YAML, realtime: model, secrets: [CARD] });
  const { call, upstream } = await liveCall(h);
  const trips = () => liveCallOf(h).record.guardrails.map((g) => `${g.name}@${g.agent}`);

  await upstream.speak(pattern(160, 1), { transcript: 'Our plans start at twelve dollars a month, billed yearly.' });
  await upstream.speak(pattern(160, 2), { transcript: 'Honestly, Rival Corp has nothing on us here.', done: false });
  const first = await upstream.waitFor('response.create');
  expect(first.response.instructions).toBe('Say exactly this, and nothing else: "I can only talk about our own products."');

  // Billing has the call now: desk's own guardrail no longer applies, the global one does.
  await upstream.callTool('transfer_to_billing', {});
  await upstream.waitForNext('session.update', (e) => e.session?.instructions === 'Bill.');
  await upstream.speak(pattern(160, 3), { transcript: 'Rival Corp bills monthly; we bill yearly, as I said.' });
  await upstream.speak(pattern(160, 4), { transcript: `The card on file is ${CARD}.`, done: false });
  const second = await upstream.waitForNext('response.create', (e) => e.response?.instructions?.includes('card numbers'));
  expect(second.response.instructions).toBe('Say exactly this, and nothing else: "Sorry, I can\'t read card numbers over the phone."');
  expect(trips()).toEqual(['no-rivals@desk', 'no-card-numbers@billing']);
  await call.hangup();
});

test('a trip is part of the record: `calls show`, the console\'s call API and the post-call webhook name it and what the caller heard', async () => {
  const dir = scratchDir();
  const url = `sqlite://${join(dir, 'calls.db')}`;
  const bodies: any[] = [];
  const receiver = Bun.serve({ port: 0, hostname: '127.0.0.1', fetch: async (req) => (bodies.push(await req.json()), new Response(null, { status: 204 })) });
  const hook = `on_call_end: { url: "http://127.0.0.1:${receiver.port}/hook", secret: "whsec-test-0123456789abcdef" }\n`;
  let callSid = '';
  try {
    await using h = await startHarness({ yaml: `${hook}${YAML}`, realtime: model, store: url, secrets: [CARD, '4111'] });
    const { call, upstream } = await liveCall(h);
    callSid = call.callSid;
    void upstream.speak(pattern(800, 2), { transcript: `Sure, your card number is ${CARD}, and it expires`, done: false });
    await upstream.waitFor('response.create');
    await call.waitForAudioBytes(SORRY.length);
    await call.hangup();
    await eventually(() => h.logs.some((l) => l.includes('call ended') && l.includes(callSid)), 3000, 'call ended');
    await h.switchboard.context.store!.flush();

    const origin = h.switchboard.url.origin;
    const detail = await getJson(origin, `/console/api/calls/${callSid}`, await session(origin, ADMIN_TOKEN));
    expect(detail.events.filter((e: { kind: string }) => e.kind === 'guardrail')).toEqual([
      { at: expect.any(Number), kind: 'guardrail', name: 'no-card-numbers', agent: 'desk', message: "Sorry, I can't read card numbers over the phone." },
    ]);
    await eventually(() => bodies.length === 1, 3000, 'the post-call webhook');
    expect(bodies[0].guardrails).toEqual([{ name: 'no-card-numbers', agent: 'desk', at_seconds: expect.any(Number), message: "Sorry, I can't read card numbers over the phone." }]);
    expect(JSON.stringify([detail, bodies])).not.toContain('4111');
    if (HAVE_CHROMIUM) await pageShowsTrip(origin, callSid);
  } finally {
    await receiver.stop(true);
  }

  await Bun.write(join(dir, 'agents.yaml'), `storage: { url: "${url}" }\n${YAML}`);
  const show = await runCli(['calls', 'show', callSid], {}, dir);
  expect(show.code).toBe(0);
  expect(show.stdout).toMatch(/\+\s*\d+\.\d s {2}guardrail no-card-numbers cut the agent \(desk\) off; the caller heard: Sorry, I can't read card numbers over the phone\.\n/);
  expect(show.stdout).not.toContain('4111');
});
