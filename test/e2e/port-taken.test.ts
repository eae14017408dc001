// One process per port. Bun shares a port between processes when asked to (SO_REUSEPORT, which
// `development: false` turns on): a second `serve` on a busy port would start, and the kernel
// would spread webhooks and streams across both, each refusing the other's stream tokens
// (bad_token; the caller hears the fallback). So the second one refuses to start, with one line,
// and the first keeps every call: the one in progress and those placed after.
import { expect, test } from 'bun:test';
import { MAIN, runServe, scratchDir, type CliResult } from '../cli.ts';
import { startFakeRealtime, type FakeRealtime } from '../fakes/realtime-server.ts';
import { FakeTwilio } from '../fakes/twilio-caller.ts';

const YAML = [
  'agents:',
  '  desk:',
  '    instructions: Help.',
  '    tools: [weather]',
  'tools:',
  '  weather:',
  '    description: The weather in a city.',
  '    parameters: { city: { type: string } }',
  '    result: "Sunny in {{city}}."',
  '',
].join('\n');

const CALLS_AFTER = 4;
const PUBLIC_URL = 'https://port.example.com';
const AUTH_TOKEN = 'port-test-auth-token';

/**
 * A second `serve` on `port`: it should exit at once. If it listens instead (the port was shared),
 * it is stopped, and its exit code is null.
 */
async function secondServe(port: string, env: Record<string, string>, cwd: string): Promise<CliResult> {
  const proc = Bun.spawn([process.execPath, MAIN, 'serve', '--port', port, '--config', 'agents.yaml'], {
    cwd,
    env: { PATH: process.env.PATH ?? '', LOG_FORMAT: 'text', ...env },
    stdout: 'pipe',
    stderr: 'pipe',
  });
  const out = { stdout: '', stderr: '' };
  const { promise: listening, resolve: heard } = Promise.withResolvers<'listening'>();
  const pump = async (name: 'stdout' | 'stderr') => {
    const decoder = new TextDecoder();
    for await (const chunk of proc[name]) {
      out[name] += decoder.decode(chunk);
      if (out[name].includes(' listening ')) heard('listening');
    }
  };
  const pumped = Promise.all([pump('stdout'), pump('stderr')]);
  if ((await Promise.race([proc.exited, listening])) === 'listening') {
    proc.kill('SIGKILL');
    await proc.exited;
    await pumped;
    return { code: null, ...out };
  }
  await pumped;
  return { code: proc.exitCode, ...out };
}

/** A call placed through Twilio at `twilio`, its session configured; the preflight's session was taken before. */
async function place(realtime: FakeRealtime, twilio: FakeTwilio) {
  const call = await twilio.call();
  const session = await realtime.nextSession();
  await session.waitFor('session.update');
  return { call, session };
}

/** The tool's answer: the call is served (by the process that holds its token). */
async function weather(session: Awaited<ReturnType<typeof place>>['session']): Promise<string> {
  const { callId } = await session.callTool('weather', { city: 'Oslo' });
  return (await session.waitFor('conversation.item.create', (e) => e.item?.call_id === callId)).item.output as string;
}

test('a second serve on a taken port exits non-zero with one line; the first keeps every call', async () => {
  await using realtime = await startFakeRealtime();
  const dir = scratchDir({ 'agents.yaml': YAML });
  const env = { OPENAI_API_KEY: 'sk-port-never-logged', OPENAI_REALTIME_URL: realtime.url, HOST: '127.0.0.1', PUBLIC_URL, TWILIO_AUTH_TOKEN: AUTH_TOKEN };
  let second: CliResult | undefined;
  let port = '';
  const answers: string[] = [];
  const first = await runServe(['--port', '0', '--config', 'agents.yaml'], env, dir, (out) => out.includes('preflight:'), async (url, serve) => {
    await realtime.nextSession(); // the preflight's
    port = new URL(url).port;
    await using twilio = new FakeTwilio({ serverUrl: new URL(url).origin, publicUrl: PUBLIC_URL, authToken: AUTH_TOKEN });
    const during = await place(realtime, twilio);
    await serve.until((out) => out.includes(`call started callSid=${during.call.callSid}`));

    second = await secondServe(port, env, dir);

    // The call in progress goes on, and every call placed now is this process's.
    answers.push(await weather(during.session));
    const after = [];
    for (let i = 0; i < CALLS_AFTER; i++) after.push(await place(realtime, twilio));
    for (const { call, session } of after) {
      await serve.until((out) => out.includes(`call started callSid=${call.callSid}`));
      answers.push(await weather(session));
    }
    for (const { call } of [during, ...after]) await call.hangup();
    await serve.until((out) => out.split('\n').filter((l) => l.includes(' call ended ') && l.includes('reason=caller_hangup')).length === CALLS_AFTER + 1);
  });

  expect(second).toBeDefined();
  expect(second!.code).toBe(1);
  expect(second!.stdout).not.toContain('listening');
  expect(second!.stderr).toBe(
    `switchboard: port ${port} is in use (another switchboard running, or one still draining its calls?): stop it first, or set PORT or --port\n`,
  );
  expect(answers).toEqual(Array(CALLS_AFTER + 1).fill('Sunny in Oslo.'));
  expect(first.code).toBe(0);
  expect(first.stdout + first.stderr).not.toContain('bad_token');
}, 60_000);
