// `serve` as a process, as an operator runs it: JSON log lines when its output is piped, readable
// ones with LOG_FORMAT=text, the config reloaded on SIGHUP and with --watch (a live call keeps its
// own), a broken edit refused line by line while the old config goes on serving.
import { expect, test } from 'bun:test';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli, runServe, scratchDir } from '../cli.ts';
import { startFakeRealtime, type FakeRealtime } from '../fakes/realtime-server.ts';
import { FakeTwilio } from '../fakes/twilio-caller.ts';
import { parsePrometheus } from '../prometheus.ts';

const yaml = (version: string) =>
  [
    'agents:',
    '  desk:',
    `    instructions: Version ${version}.`,
    '    tools: [weather]',
    'tools:',
    '  weather:',
    '    description: The weather in a city.',
    '    parameters: { city: { type: string } }',
    `    result: "Sunny in {{city}} (version ${version})."`,
    '',
  ].join('\n');

const setup = async () => {
  const realtime = await startFakeRealtime();
  const dir = scratchDir({ 'agents.yaml': yaml('one') });
  const env = { OPENAI_API_KEY: 'sk-ops-never-logged', OPENAI_REALTIME_URL: realtime.url, HOST: '127.0.0.1', METRICS_PUBLIC: 'true' };
  return { realtime, dir, env, args: ['--insecure', '--port', '0', '--config', 'agents.yaml'] };
};

/** Twilio for the process at `url` (--insecure: nothing signed); disposing it hangs up its calls. */
const twilioFor = (url: string) => new FakeTwilio({ serverUrl: new URL(url).origin, publicUrl: new URL(url).origin });

/** A call through the process; the preflight's own session was taken before (see `ready`). */
async function call(realtime: FakeRealtime, twilio: FakeTwilio) {
  const placed = await twilio.call();
  const session = await realtime.nextSession();
  const update = await session.waitFor('session.update');
  return { call: placed, session, instructions: update.session.instructions as string };
}

const toolResult = async (session: Awaited<ReturnType<typeof call>>['session']) => {
  const { callId } = await session.callTool('weather', { city: 'Oslo' });
  return (await session.waitFor('conversation.item.create', (e) => e.item?.call_id === callId)).item.output as string;
};

/** Serve is up and its preflight connection (a session of the fake's, never configured) is done. */
const ready = (out: string) => out.includes('preflight:');

test('piped output is one JSON object per line; call lines carry the callSid; nothing secret', async () => {
  const { realtime, dir, env, args } = await setup();
  await using _ = realtime;
  let callSid = '';
  const r = await runServe(args, { ...env, LOG_FORMAT: undefined }, dir, ready, async (url, serve) => {
    await realtime.nextSession();
    const { call: placed } = await call(realtime, twilioFor(url));
    callSid = placed.callSid;
    await serve.until((out) => out.includes('"msg":"call started"'));
    await placed.hangup();
    await serve.until((out) => out.includes('"msg":"call ended"'));
  });
  const lines = (r.stdout + r.stderr).split('\n').filter(Boolean);
  const entries = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
  for (const entry of entries) expect(Object.keys(entry).slice(0, 3)).toEqual(['time', 'level', 'msg']);
  const started = entries.find((e) => e.msg === 'call started')!;
  const ended = entries.find((e) => e.msg === 'call ended')!;
  expect(started).toMatchObject({ level: 'info', callSid, agent: 'desk' });
  expect(ended).toMatchObject({ level: 'info', callSid, reason: 'caller_hangup' });
  expect(entries.find((e) => e.msg === 'listening')).toMatchObject({ url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/$/) });
  expect(r.stderr.split('\n').filter(Boolean).map((l) => JSON.parse(l).level)).not.toContain('info');
  expect(r.stdout + r.stderr).not.toContain('sk-ops-never-logged');
});

test('SIGHUP: the next call gets the edited config, the live call keeps its own; a broken edit is refused line by line', async () => {
  const { realtime, dir, env, args } = await setup();
  await using _ = realtime;
  const outcome: Record<string, string> = {};
  let metrics = new Map<string, number>();
  const r = await runServe(args, { ...env, LOG_FORMAT: 'text' }, dir, ready, async (url, serve) => {
    await realtime.nextSession();
    await using twilio = twilioFor(url);
    const first = await call(realtime, twilio);
    await serve.until((out) => out.includes(`call started callSid=${first.call.callSid}`));

    writeFileSync(join(dir, 'agents.yaml'), yaml('two'));
    serve.kill('SIGHUP');
    await serve.until((out) => out.includes('config reloaded'));
    const second = await call(realtime, twilio);
    Object.assign(outcome, {
      first: first.instructions,
      second: second.instructions,
      firstTool: await toolResult(first.session),
      secondTool: await toolResult(second.session),
    });

    writeFileSync(join(dir, 'agents.yaml'), yaml('three').replace('    tools: [weather]', '    voice: 7\n    tools: [wether]'));
    serve.kill('SIGHUP');
    await serve.until((out) => out.includes('config reload failed'));
    outcome.third = (await call(realtime, twilio)).instructions;
    metrics = parsePrometheus(await (await fetch(`${url}metrics`)).text());
  });
  expect(outcome).toEqual({
    first: 'Version one.',
    second: 'Version two.',
    firstTool: 'Sunny in Oslo (version one).',
    secondTool: 'Sunny in Oslo (version two).',
    third: 'Version two.',
  });
  expect(r.stdout).toMatch(/ INFO {2}config reloaded; new calls use it, calls in progress keep theirs trigger=SIGHUP file=agents\.yaml activeCalls=1\n/);
  const errors = r.stderr.split('\n').filter((l) => l.includes(' ERROR '));
  expect(errors.map((l) => l.replace(/^\S+ ERROR /, ''))).toEqual([
    'agents.yaml:4:12  agents.desk.voice: expected a string, got a number; quote it: "7"',
    expect.stringMatching(/^agents\.yaml:5:13  agents\.desk\.tools\[0\]: unknown tool "wether"/),
    'config reload failed; still serving the previous config trigger=SIGHUP file=agents.yaml errors=2',
  ]);
  // LOG_FORMAT=text: readable lines, even though the output is a pipe.
  for (const line of (r.stdout + r.stderr).split('\n').filter(Boolean)) expect(line).toMatch(/^\S+Z (DEBUG|INFO |WARN |ERROR) /);
  expect(metrics.get('switchboard_config_reloads_total{result="ok"}')).toBe(1);
  expect(metrics.get('switchboard_config_reloads_total{result="failed"}')).toBe(1);
  expect(metrics.get('switchboard_config_last_reload_successful')).toBe(0);
});

test('serve --watch reloads when the file changes', async () => {
  const { realtime, dir, env, args } = await setup();
  await using _ = realtime;
  let instructions = '';
  const r = await runServe([...args, '--watch'], env, dir, (out) => ready(out) && out.includes('watching the config'), async (url, serve) => {
    await realtime.nextSession();
    writeFileSync(join(dir, 'agents.yaml'), yaml('two'));
    await serve.until((out) => out.includes('config reloaded'));
    await using twilio = twilioFor(url);
    instructions = (await call(realtime, twilio)).instructions;
  });
  expect(r.stdout).toContain('INFO  watching the config for changes file=agents.yaml');
  expect(r.stdout).toContain('config reloaded; new calls use it, calls in progress keep theirs trigger=watch');
  expect(instructions).toBe('Version two.');
});

test('LOG_FORMAT and METRICS_PUBLIC with a value serve does not know: one line, no server', async () => {
  const dir = scratchDir({ 'agents.yaml': yaml('one') });
  const env = { OPENAI_API_KEY: 'sk-x', HOST: '127.0.0.1' };
  expect(await runCli(['serve', '--insecure', '--port', '0'], { ...env, LOG_FORMAT: 'logfmt' }, dir)).toEqual({
    code: 1,
    stdout: '',
    stderr: 'switchboard: LOG_FORMAT must be json or text (got "logfmt")\n',
  });
  const metricsPublic = await runCli(['serve', '--insecure', '--port', '0'], { ...env, METRICS_PUBLIC: 'yes' }, dir);
  expect(metricsPublic.code).toBe(1);
  expect(metricsPublic.stderr).toEndWith('switchboard: METRICS_PUBLIC must be true or false (got "yes")\n');
});
