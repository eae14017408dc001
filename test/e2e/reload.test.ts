// Reloading the config in a running server (what SIGHUP and serve --watch do; the signals
// themselves are tested on a process in operations.test.ts): new calls get the new agents, a call
// keeps the config it started with, and what needs a restart is kept and said.
import { expect, test } from 'bun:test';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Reloader } from '../../src/server/reload.ts';
import { scratchDir } from '../cli.ts';
import { ADMIN_TOKEN, startHarness, type Harness } from '../harness.ts';

const yaml = (words: string, model = 'gpt-realtime-2.1') => `openai: { model: ${model} }\nagents:\n  desk:\n    instructions: ${words}\n`;

async function withReloader(first: string) {
  const file = join(scratchDir(), 'agents.yaml');
  writeFileSync(file, first);
  const h = await startHarness({ yaml: first });
  const reloader = new Reloader(file, {}, h.switchboard.context, { mcp: new Map() });
  const reload = async (text: string) => {
    writeFileSync(file, text);
    return reloader.reload('SIGHUP');
  };
  return { h, reload, file };
}

const instructionsOf = async (h: Harness) => (await (await h.realtime.nextSession()).waitFor('session.update')).session.instructions;

test('a session pre-warmed before a reload is not used by the call that comes after it: the call gets the new config whole', async () => {
  const { h, reload } = await withReloader(yaml('Version one.'));
  await using _ = h;
  const webhook = await h.twilio.webhook();
  const warm = await h.realtime.nextSession();
  expect((await warm.waitFor('session.update')).session.instructions).toBe('Version one.');

  expect(await reload(yaml('Version two.'))).toBe(true);
  const call = await h.twilio.call({ twiml: webhook.twiml!, params: { CallSid: webhook.params.CallSid! } });
  expect(await instructionsOf(h)).toBe('Version two.');
  await warm.closed;
  await call.hangup();
});

test('openai.model needs a restart: the reload applies the rest, keeps the running model and says so', async () => {
  const { h, reload } = await withReloader(yaml('Version one.'));
  await using _ = h;
  expect(await reload(yaml('Version two.', 'gpt-realtime-2.1-mini'))).toBe(true);
  expect(h.logs.filter((l) => l.includes('config reload:'))).toEqual([
    expect.stringMatching(/WARN {2}config reload: openai\.model changed, which needs a restart; until then calls keep what serve started with$/),
  ]);
  expect(h.switchboard.context.agentSet.model).toBe('gpt-realtime-2.1');
  await h.twilio.call();
  expect(await instructionsOf(h)).toBe('Version two.');
});

test('a broken file: every error at its line, the running config stays, and the metrics say so', async () => {
  const { h, reload, file } = await withReloader(yaml('Version one.'));
  await using _ = h;
  const before = h.switchboard.context.agentSet;
  expect(await reload(`agents:\n  desk:\n    instructions: hi\n    voice: 7\n    tools: [wether]\n`)).toBe(false);
  expect(h.switchboard.context.agentSet).toBe(before);
  const errors = h.logs.filter((l) => l.includes(' ERROR ')).map((l) => l.replace(/^\S+ ERROR /, '').replace(file, 'FILE'));
  expect(errors).toEqual([
    'FILE:4:12  agents.desk.voice: expected a string, got a number; quote it: "7"',
    expect.stringMatching(/^FILE:5:13  agents\.desk\.tools\[0\]: unknown tool "wether"/),
    'config reload failed; still serving the previous config trigger=SIGHUP file=FILE errors=2',
  ]);
  const metrics = await (await fetch(`${h.switchboard.url.origin}/metrics`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } })).text();
  expect(metrics).toContain('switchboard_config_last_reload_successful 0');
});
