// The CLI as a user runs it: a real process, real exit codes, exact messages.
import { describe, expect, test } from 'bun:test';
import pkg from '../../package.json' with { type: 'json' };
import { join } from 'node:path';
import { ROOT, runCli as run, scratchDir } from '../cli.ts';

describe('check', () => {
  test('summarises the shipped agents.yaml and exits 0', async () => {
    const r = await run(['check', '--config', join(ROOT, 'agents.yaml')]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('ok: 1 agents, 2 tools, 1 MCP servers');
    expect(r.stdout).toContain('agent greeter (entry): voice verse, tools [weather, secret], mcp [deepwiki]');
  });

  test('prints every error with FILE:LINE:COL and exits 1', async () => {
    const dir = scratchDir({
      'broken.yaml': ['agents:', '  greeter:', '    instructions: hi', '    voice: 7', '    tools: [wether]', 'toolz: {}', ''].join('\n'),
    });
    const r = await run(['check', '--config', 'broken.yaml'], {}, dir);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatchSnapshot();
    expect(r.stderr).toContain('broken.yaml:4:12');
    expect(r.stderr).toContain('broken.yaml:5:13');
    expect(r.stderr).toContain('broken.yaml:6:1');
  });

  test('a missing file says so', async () => {
    const r = await run(['check', '--config', 'nope.yaml']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('nope.yaml:1:1');
  });
});

describe('serve refuses to start unsafely', () => {
  const config = ['--config', join(ROOT, 'agents.yaml'), '--port', '0'];

  test('without OPENAI_API_KEY', async () => {
    const r = await run(['serve', ...config], { PUBLIC_URL: 'https://x.example', TWILIO_AUTH_TOKEN: 't' });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('OPENAI_API_KEY is not set');
  });

  test('without PUBLIC_URL and TWILIO_AUTH_TOKEN unless --insecure', async () => {
    const r = await run(['serve', ...config], { OPENAI_API_KEY: 'sk-x' });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('PUBLIC_URL and TWILIO_AUTH_TOKEN not set');
    expect(r.stderr).toContain('--insecure');
  });

  test('an http:// PUBLIC_URL: Twilio would refuse the ws:// stream URL', async () => {
    const r = await run(['serve', ...config], { OPENAI_API_KEY: 'sk-x', TWILIO_AUTH_TOKEN: 't', PUBLIC_URL: 'http://x.example' });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      'switchboard: PUBLIC_URL must start with https://: Twilio opens media streams only to wss://, so every call would fail. ' +
        'Use the https address of your tunnel or TLS proxy (http:// only with --insecure)\n',
    );
  });

  test('a port in use, and a HOST that is not this machine, each named for what they are', async () => {
    await using taken = Bun.serve({ port: 0, hostname: '0.0.0.0', fetch: () => new Response() });
    const env = { OPENAI_API_KEY: 'sk-x', HOST: '127.0.0.1' };
    const inUse = await run(['serve', '--insecure', '--port', String(taken.port), '--config', join(ROOT, 'agents.yaml')], env);
    expect(inUse.code).toBe(1);
    expect(inUse.stderr).toEndWith(`switchboard: port ${taken.port} is in use (another switchboard running, or one still draining its calls?): stop it first, or set PORT or --port\n`);
    const badHost = await run(['serve', '--insecure', '--port', '0', '--config', join(ROOT, 'agents.yaml')], { ...env, HOST: 'no-such-host.invalid' });
    expect(badHost.code).toBe(1);
    expect(badHost.stderr).toEndWith('switchboard: cannot listen on HOST=no-such-host.invalid: it is not an address of this machine; unset HOST to listen on all addresses\n');
  });

  test('a PUBLIC_URL with a path', async () => {
    const r = await run(['serve', ...config], { OPENAI_API_KEY: 'sk-x', TWILIO_AUTH_TOKEN: 't', PUBLIC_URL: 'https://x.example/voice' });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('PUBLIC_URL must be an origin');
  });
});

test('--help and --version', async () => {
  const help = await run(['--help']);
  expect(help.code).toBe(0);
  expect(help.stdout).toContain('switchboard check [--config FILE]');
  const version = await run(['--version']);
  expect(version.stdout.trim()).toBe(pkg.version);
});

test('an unknown command, flag or value is one line, not a server or a stack trace', async () => {
  expect(await run(['serv'])).toEqual({ code: 1, stdout: '', stderr: 'switchboard: unknown command "serv"; see --help\n' });
  expect(await run(['--prot', '1'])).toEqual({ code: 1, stdout: '', stderr: 'switchboard: unknown option --prot; see --help\n' });
  const config = ['--config', join(ROOT, 'agents.yaml')];
  expect(await run(['serve', ...config, '--port', '-1'])).toEqual({ code: 1, stdout: '', stderr: 'switchboard: port must be a whole number from 0 to 65535 (got -1)\n' });
  expect((await run(['serve', ...config, '--port', '1'], { LOG_LEVEL: 'verbose' })).stderr).toBe(
    'switchboard: LOG_LEVEL must be debug, info, warn or error (got "verbose")\n',
  );
});

test('schema prints the JSON Schema that agents.schema.json holds', async () => {
  const r = await run(['schema']);
  expect(r.code).toBe(0);
  const committed = await Bun.file(join(ROOT, 'agents.schema.json')).text();
  expect(r.stdout).toBe(committed);
});

test('check never prints a secret, even from an invalid field', async () => {
  const yaml = (url: string) =>
    [
      'openai:',
      '  api_key: ${OPENAI_API_KEY}',
      `  url: ${url}`,
      'agents:',
      '  a: { instructions: hi, mcp_servers: [m] }',
      'mcp_servers:',
      '  m: { hosted: true, url: "https://mcp.example", headers: { Authorization: "Bearer ${MCP_TOKEN}" } }',
      '',
    ].join('\n');
  const env = { OPENAI_API_KEY: 'sk-very-secret-key', MCP_TOKEN: 'mcp-very-secret', BAD_URL: 'https://sk-secret-in-url' };
  const dir = scratchDir({ 'good.yaml': yaml('wss://proxy.example/v1/realtime'), 'bad.yaml': yaml('${BAD_URL}') });
  const good = await run(['check', '--config', 'good.yaml'], env, dir);
  const bad = await run(['check', '--config', 'bad.yaml'], env, dir);
  expect(good.code).toBe(0);
  expect(bad.code).toBe(1);
  expect(bad.stderr).toContain('bad.yaml:3:8  openai.url');
  for (const output of [good.stdout, good.stderr, bad.stdout, bad.stderr]) {
    for (const secret of Object.values(env)) expect(output).not.toContain(secret);
  }
});

test('each command takes its own flags only: another command\'s is one line naming the flag and the command, exit 1', async () => {
  const commands = ['serve', 'check', 'doctor', 'calls', 'migrate', 'schema', 'simulate', 'call'];
  for (const command of commands) {
    const flag = command === 'simulate' ? '--port' : '--wav';
    const r = await run([command, flag, 'x']);
    expect({ command, ...r }).toEqual({ command, code: 1, stdout: '', stderr: `switchboard ${command}: unknown option ${flag}; see switchboard ${command} --help\n` });
  }
  const help = await run(['check', '--help']);
  expect(help.code).toBe(0);
  expect(help.stdout).toContain('  --date YYYY-MM-DD  judge model shutdowns as of that day');
});

test("check's summary names every section it understood, one line each, no secret among them", async () => {
  const yaml = [
    'numbers: { "+15550002222": desk }',
    'guardrails: [{ name: no_cards, deny_regex: "\\\\d{16}", message: "I cannot say that." }]',
    'on_call_end: { url: "https://hooks.example.com/h?token=${HOOK_TOKEN}", secret: "${WEBHOOK_SECRET}" }',
    'outbound: { from: "+15550001111", max_per_day: 50 }',
    'storage: { url: "${DATABASE_URL}" }',
    'privacy: { redact: [card_number, ssn] }',
    'agents:',
    '  greeter: { instructions: hi, handoffs: [desk] }',
    '  desk: { instructions: hi, dtmf: { mode: collect, end_on: "*" } }',
    '',
  ].join('\n');
  const env = { HOOK_TOKEN: 'hook-token-secret', WEBHOOK_SECRET: 'webhook-secret-0123456789', DATABASE_URL: 'postgres://sb:db-password-secret@db.internal/calls' };
  const r = await run(['check'], env, scratchDir({ 'agents.yaml': yaml }));
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  expect(r.stdout).toBe(
    [
      'agents.yaml: ok: 2 agents, 0 tools, 0 MCP servers; model gpt-realtime-2.1',
      '  agent greeter (entry): voice default, tools [], mcp [], handoffs [desk]',
      '  agent desk: voice default, tools [], mcp []',
      '  numbers: +15550002222 -> desk; any other -> greeter (entry)',
      '  guardrails: no_cards (every agent)',
      '  dtmf: desk: collects digits until *, or 3000 ms after the last key',
      "  on_call_end: each call's summary POSTed to https://hooks.example.com, signed; 3 retries, 5000 ms each",
      "  outbound: from +15550001111, agent greeter (entry), destinations the from number's country code, at most 10 a minute and 50 a day",
      '  storage: PostgreSQL at db.internal/calls, calls kept 90 days',
      '  privacy: redact card_number, ssn',
      '',
    ].join('\n'),
  );
  for (const secret of ['hook-token-secret', 'webhook-secret', 'db-password-secret']) expect(r.stdout).not.toContain(secret);
});
