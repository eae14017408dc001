// Callers' data on a real call: a caller reads out a card number, a tool answers with the caller's
// number. The log (shipped, kept for months) gets neither: at info no conversation at all, with
// logging.content or at debug the conversation redacted and every number masked. What is kept and
// sent on (the store, GET /calls/:sid, the console, `calls show`, the post-call webhook) reads
// [card_number] where the card was; a digit run that is not a card is left alone.
import { expect, test } from 'bun:test';
import { join } from 'node:path';
import { runCli, scratchDir } from '../cli.ts';
import { getJson, openLive, session } from '../console-client.ts';
import { ADMIN_TOKEN, eventually, liveCall, pattern, startHarness, type Harness } from '../harness.ts';

const CALLER = '+15558675309';
const CARD = '4111 1111 1111 1111';
const SAID = `My card is ${CARD}, my order is 1234 5678 9012 3456 and my policy POL-123456.`;
const KEPT = 'My card is [card_number], my order is 1234 5678 9012 3456 and my policy [policy].';
const RESULT = `You are calling from ${CALLER}`;
const SECRET = 'whsec-test-never-log-me-0123456789';
/** What no log line may hold, whatever the level (the harness checks every line when it closes). */
const NEVER_LOGGED = ['5558675309', CARD, '4111111111111111', 'POL-123456'];

const yaml = (hook: string, extra = '') => `
privacy:
  redact: [card_number, { name: policy, regex: "POL-\\\\d{6}" }]
agents:
  desk: { instructions: Help., tools: [whoami] }
tools:
  whoami:
    description: The caller's number.
    parameters: { number: { type: string } }
    result: "You are calling from {{number}}"
on_call_end: { url: "${hook}", secret: "${SECRET}" }
${extra}`;

/** A receiver for the post-call webhook: the bodies it was sent. */
function startReceiver() {
  const bodies: any[] = [];
  const server = Bun.serve({
    port: 0,
    hostname: '127.0.0.1',
    async fetch(req) {
      bodies.push(await req.json());
      return new Response(null, { status: 204 });
    },
  });
  return { url: `http://127.0.0.1:${server.port}/hook`, bodies, [Symbol.asyncDispose]: () => server.stop(true) };
}

/** The caller says SAID, the model looks up the caller's number, the agent answers; the caller hangs up. */
async function conversation(h: Harness, afterCallerTurn: () => Promise<void> = async () => {}) {
  const { call, upstream } = await liveCall(h, { params: { From: CALLER } });
  await call.sendAudio(pattern(800, 1));
  upstream.speechStarted();
  upstream.userTranscript(upstream.speechStopped(), SAID);
  await afterCallerTurn();
  const { callId } = await upstream.callTool('whoami', { number: CALLER });
  await upstream.waitFor('conversation.item.create', (e) => e.item?.call_id === callId);
  await upstream.speak(pattern(320, 2), { transcript: 'Thanks, I have noted it.' });
  await call.waitForAudioBytes(320);
  await call.hangup();
  await eventually(() => h.logs.some((l) => l.includes('call ended') && l.includes(call.callSid)), 3000, 'call ended');
  return call.callSid;
}

test('at info: no conversation in the log; the record, the console, the API, the webhook and `calls show` read [card_number]', async () => {
  const dir = scratchDir();
  const url = `sqlite://${join(dir, 'calls.db')}`;
  let callSid = '';
  {
    await using receiver = startReceiver();
    await using h = await startHarness({ yaml: yaml(receiver.url), store: url, logLevel: 'info', secrets: NEVER_LOGGED });
    const origin = h.switchboard.url.origin;
    const cookie = await session(origin, ADMIN_TOKEN);
    const live = await openLive(origin, cookie);
    callSid = await conversation(h, async () => {
      // The console's live view shows the turn as the record will keep it.
      const turns = await live.next('turns', (t) => t.turns.some((turn: { role: string }) => turn.role === 'caller'));
      expect(turns.turns[0]).toMatchObject({ role: 'caller', text: KEPT });
    });
    await live.close();

    // The log: the call's shape, never what was said, nor a tool's arguments or result.
    const mine = h.logs.filter((l) => l.includes(callSid));
    expect(mine.some((l) => l.includes('tool used') && l.includes('tool=whoami'))).toBe(true);
    expect(h.logs.filter((l) => / transcript |arguments=|result=/.test(l))).toEqual([]);
    for (const text of [...NEVER_LOGGED, 'My card', 'You are calling', '1234 5678 9012 3456']) expect(h.logs.join('\n')).not.toContain(text);

    // The store, through GET /calls/:sid and the console's API.
    await h.switchboard.context.store!.flush();
    const api: any = await (await fetch(`${origin}/calls/${callSid}`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } })).json();
    expect(api.events.map((e: { kind: string; data: unknown }) => [e.kind, e.data])).toEqual([
      ['turn', { role: 'caller', text: KEPT }],
      ['turn', { role: 'agent', agent: 'desk', text: 'Thanks, I have noted it.' }],
      ['tool', expect.objectContaining({ name: 'whoami', arguments: `{"number":"${CALLER}"}`, result: RESULT })],
    ]);
    const detail = await getJson(origin, `/console/api/calls/${callSid}`, cookie);
    expect(detail.events[0]).toMatchObject({ kind: 'turn', role: 'caller', text: KEPT });
    expect(JSON.stringify([api, detail])).not.toContain(CARD);

    // The post-call webhook.
    await eventually(() => receiver.bodies.length === 1, 3000, 'the post-call webhook');
    expect(receiver.bodies[0].transcript[0]).toEqual({ role: 'caller', agent: null, text: KEPT });
    expect(receiver.bodies[0].guardrails).toEqual([]);
    expect(JSON.stringify(receiver.bodies[0])).not.toContain(CARD);
  }

  // `switchboard calls show` reads the same store file.
  await Bun.write(join(dir, 'agents.yaml'), `storage: { url: "${url}" }\nagents:\n  desk: { instructions: Help. }\n`);
  const show = await runCli(['calls', 'show', callSid], {}, dir);
  expect(show.code).toBe(0);
  expect(show.stdout).toContain(`caller: ${KEPT}`);
  expect(show.stdout).not.toContain(CARD);
});

test('logging.content: the conversation at info, redacted, numbers masked', async () => {
  await using receiver = startReceiver();
  await using h = await startHarness({ yaml: yaml(receiver.url, 'logging: { content: true }'), logLevel: 'info', secrets: NEVER_LOGGED });
  const callSid = await conversation(h);
  const mine = h.logs.filter((l) => l.includes(callSid));
  const transcript = mine.find((l) => l.includes(' INFO  transcript ') && l.includes('role=caller'));
  expect(transcript).toEndWith(`text="${KEPT}"`);
  const tool = mine.find((l) => l.includes(' INFO  tool used ') && l.includes('tool=whoami'));
  expect(tool).toContain('arguments="{\\"number\\":\\"********5309\\"}"');
  expect(tool).toContain('result="You are calling from ********5309"');
});

test('a bad regex in privacy.redact is a check error at its line', async () => {
  const broken = 'privacy:\n  redact:\n    - card_number\n    - { name: policy, regex: "POL-(\\\\d{6}" }\nagents:\n  desk: { instructions: Help. }\n';
  const r = await runCli(['check'], {}, scratchDir({ 'agents.yaml': broken }));
  expect(r.code).toBe(1);
  expect(r.stderr.split('\n')[0]).toBe('agents.yaml:4:30  privacy.redact[1].regex: not a valid regular expression: missing )');
});

test('every phone number a log line carries is masked, whichever field or message carries it', async () => {
  const transfer = `
agents:
  desk: { instructions: Help., tools: [to_support] }
tools:
  to_support:
    transfer: { to: "+15550003333", announce: "Putting you through." }
`;
  const speaking = { onResponseCreate: (_event: unknown, session: { speak(a: Uint8Array): unknown }) => void session.speak(pattern(320, 4)) };
  await using h = await startHarness({ yaml: transfer, realtime: speaking, secrets: ['5550003333', '5558675309'] });
  const { call, upstream } = await liveCall(h, { params: { From: CALLER } });
  await upstream.callTool('to_support', {});
  await call.closed;
  await eventually(() => h.logs.some((l) => l.includes('call ended') && l.includes(call.callSid)), 3000, 'call ended');
  // A field the call logs whole (the transfer target), and a tool's result at debug, both masked.
  expect(h.logs.find((l) => l.includes('transfer requested'))).toContain('to=********3333');
  expect(h.logs.find((l) => l.includes(' DEBUG tool used ') && l.includes('tool=to_support'))).toContain('Transferring the caller to ********3333');
  // (The harness fails the test if either number reached any line in full.)
});
