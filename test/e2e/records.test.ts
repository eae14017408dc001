// Call records in the store, as a call goes and after it: both engines, the HTTP API and the CLI.
import { describe, expect, test } from 'bun:test';
import { join } from 'node:path';
import { ADMIN_TOKEN, callStarted, eventually, liveCall, pattern, SHIPPED_YAML, startHarness } from '../harness.ts';
import { runCli, scratchDir } from '../cli.ts';
import { freshPostgres, POSTGRES_URL } from '../postgres.ts';

const engines: [string, () => Promise<string | undefined>][] = [
  ['sqlite', async () => `sqlite://${join(scratchDir(), 'calls.db')}`],
  ['postgres', freshPostgres],
];

/** A call with a caller turn, an agent turn and a tool run, then a hang-up. */
async function conversation(h: Awaited<ReturnType<typeof startHarness>>) {
  const { call, upstream } = await liveCall(h, { params: { From: '+15557654321' } });
  await callStarted(h, call.callSid);
  await call.sendAudio(pattern(800, 1));
  upstream.speechStarted();
  const item = upstream.speechStopped();
  upstream.userTranscript(item, 'What is the weather in Oslo?');
  const { callId } = await upstream.callTool('weather', { location: 'Oslo' });
  await upstream.waitFor('conversation.item.create', (e) => e.item?.call_id === callId);
  await upstream.speak(pattern(320, 2), { transcript: 'It is sunny in Oslo.' });
  await call.waitForAudioBytes(320);
  call.sendDtmf('7');
  return { call, upstream };
}

describe.each(engines)('records on %s', (engine, url) => {
  test.skipIf(engine === 'postgres' && !POSTGRES_URL)('a call is written as it goes, read back live and after, with what was said and done', async () => {
    await using h = await startHarness({ store: await url() });
    const store = h.switchboard.context.store!;
    const { call } = await conversation(h);

    // Live: within a second the call and its finished turns are in the store, while it goes on.
    const deadline = Date.now() + 3000;
    let during = await store.getCall(call.callSid);
    while ((during?.events.length ?? 0) < 4 && Date.now() < deadline) {
      await Bun.sleep(50);
      during = await store.getCall(call.callSid);
    }
    expect(during?.call.endedAt).toBeUndefined();
    expect(during?.events.map((e) => e.kind)).toEqual(['turn', 'turn', 'tool', 'dtmf']);
    const origin = h.switchboard.url.origin;
    const get = async (path: string) => (await fetch(`${origin}${path}`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } })).json() as Promise<any>;
    expect((await get('/calls'))[0]).toMatchObject({ callSid: call.callSid, live: true, state: 'connected' });

    await call.hangup();
    await eventually(() => h.logs.some((l) => l.includes('call ended') && l.includes(call.callSid)), 2000, 'ended');
    await store.flush();
    const found = await store.getCall(call.callSid);
    expect(found?.call).toMatchObject({ callSid: call.callSid, from: '+15557654321', direction: 'inbound', agent: 'greeter', endReason: 'caller_hangup' });
    expect(found?.events.map((e) => [e.kind, e.data])).toEqual([
      ['turn', { role: 'caller', text: 'What is the weather in Oslo?' }],
      ['turn', { role: 'agent', agent: 'greeter', text: 'It is sunny in Oslo.' }],
      ['tool', expect.objectContaining({ name: 'weather', arguments: '{"location":"Oslo"}', result: 'The weather in Oslo is sunny.', durationMs: expect.any(Number) })],
      ['dtmf', { count: 1 }],
    ]);
    const listed = await get('/calls?limit=5');
    expect(listed[0]).toMatchObject({ callSid: call.callSid, live: false, endReason: 'caller_hangup' });
    expect(await get(`/calls/${call.callSid}`)).toMatchObject({ live: false, call: { callSid: call.callSid }, events: expect.any(Array) });
  });
});

test('switchboard calls and calls show read the store the config names', async () => {
  const dir = scratchDir();
  const url = `sqlite://${join(dir, 'calls.db')}`;
  let callSid = '';
  {
    await using h = await startHarness({ store: url });
    const { call } = await conversation(h);
    callSid = call.callSid;
    await call.hangup();
    await eventually(() => h.logs.some((l) => l.includes('call ended') && l.includes(callSid)), 2000, 'ended');
  }
  const yaml = `storage: { url: "${url}" }\n${SHIPPED_YAML}`;
  await Bun.write(join(dir, 'agents.yaml'), yaml);
  const list = await runCli(['calls'], {}, dir);
  expect(list.code).toBe(0);
  expect(list.stdout.split('\n')[0]).toBe('started (UTC)        call                                direction  from          to            agents   length  ended');
  expect(list.stdout).toContain(`${callSid}  inbound    ********4321  +14155550199  greeter  0 s     caller_hangup`);
  const show = await runCli(['calls', 'show', callSid], {}, dir);
  expect(show.code).toBe(0);
  const lines = show.stdout.split('\n').map((l) => l.replace(/^\+\s*\d+\.\d s {2}/, ''));
  expect(lines.slice(3, 7)).toEqual([
    'caller: What is the weather in Oslo?',
    'agent (greeter): It is sunny in Oslo.',
    'tool weather({"location":"Oslo"}) -> The weather in Oslo is sunny.',
    'keypad: 1 key(s)',
  ]);
  expect(show.stdout).not.toContain('7654321');
  expect((await runCli(['calls', 'show', 'CAnope'], {}, dir)).stderr).toBe('switchboard: no call CAnope in the store\n');
});
