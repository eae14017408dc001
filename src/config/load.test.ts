import { describe, expect, test } from 'bun:test';
import { ConfigErrors } from './diagnostics/errors.ts';
import { loadConfig, parseConfig } from './load.ts';

const fixture = (name: string) => `${import.meta.dir}/fixtures/${name}`;

/** The formatted lines of the ConfigErrors thrown by `run`, with the file path shortened. */
async function errorLines(run: () => unknown, file = ''): Promise<string[]> {
  try {
    await run();
  } catch (err) {
    if (!(err instanceof ConfigErrors)) throw err;
    return err.format().split('\n').map((line) => (file ? line.replace(file, 'FILE') : line));
  }
  throw new Error('expected ConfigErrors');
}

describe('loadConfig', () => {
  test('the shipped example parses with defaults applied', async () => {
    const { config, notices } = await loadConfig(fixture('seed.yaml'), {}, { today: '2026-12-01' });
    expect(notices.map((n) => n.message)).toEqual(['gpt-realtime shuts down on 2027-01-20 (in 50 days); use gpt-realtime-2.1']);
    expect(config).toEqual({
      openai: { model: 'gpt-realtime', transcription: { model: 'gpt-transcribe' } },
      entry: 'greeter',
      approvals: 'approve',
      limits: { max_concurrent_calls: 100, busy_say: 'Sorry, all our lines are busy. Please call again later.', max_call_seconds: 1800, idle_seconds: 60, connect_timeout_seconds: 5 },
      fallback: { say: 'Sorry, something went wrong on our side. Please call again later.' },
      agents: {
        greeter: {
          name: 'Greeter',
          instructions:
            'You are a friendly assistant. When you use a tool always first say what you are about to do.',
          voice: 'verse',
          say: 'O.K. you can start talking!',
          tools: ['weather', 'secret'],
          mcp_servers: ['deepwiki'],
          handoffs: [],
          dtmf: { mode: 'each', end_on: '#', timeout_ms: 3000 },
        },
      },
      numbers: {},
      storage: { url: 'sqlite://./data/switchboard.db', retain_days: 90, keep_dtmf: false },
      outbound: { machine_detection: 'off', max_per_minute: 10, max_per_day: 200 },
      privacy: { redact: ['card_number'] },
      logging: { content: false },
      tools: {
        weather: {
          description: 'Get the weather in a given location.',
          parameters: { location: { type: 'string' } },
          result: 'The weather in {{location}} is sunny.',
          background: true,
          needs_approval: false,
        },
        secret: {
          description: 'A secret tool to tell the special number.',
          parameters: {
            question: {
              type: 'string',
              description: 'The question to ask the secret tool; mainly about the special number.',
            },
          },
          result: 'The answer to {{question}} is 42.',
          background: false,
          needs_approval: true,
        },
      },
      mcp_servers: {
        deepwiki: { hosted: true, url: 'https://mcp.deepwiki.com/sse', require_approval: 'never' },
      },
    });
  });

  test('reports every mistake at once, each at its exact position', async () => {
    const file = fixture('broken.yaml');
    expect(await errorLines(() => loadConfig(file, {}), file)).toEqual([
      'FILE:3:8  openai.url: must be a ws:// or wss:// URL',
      'FILE:4:12  openai.api_key: environment variable OPENAI_API_KEY is not set; export it, put it in .env, or write ${OPENAI_API_KEY:-default}',
      'FILE:5:8  entry: unknown agent "receptionist"; declared agents: greeter, support',
      'FILE:6:1  approval: unknown key "approval"; did you mean "approvals"?',
      'FILE:10:12  agents.greeter.voice: expected a string, got a number; quote it: "42"',
      'FILE:11:22  agents.greeter.tools[1]: unknown tool "wether"; did you mean "weather"?',
      'FILE:12:29  agents.greeter.mcp_servers[1]: unknown MCP server "github"; declared MCP servers: deepwiki',
      'FILE:13:16  agents.greeter.handoffs[0]: unknown agent "suport"; did you mean "support"?',
      'FILE:13:24  agents.greeter.handoffs[1]: an agent cannot hand off to itself; remove "greeter"',
      'FILE:14:3  agents.support.instructions: missing required key "instructions"',
      'FILE:15:5  agents.support.instrutions: unknown key "instrutions"; did you mean "instructions"?',
      'FILE:21:35  tools.weather.parameters.days.enum: enum is only allowed on string parameters; remove it or set type: string',
      'FILE:22:13  tools.weather.result: {{dayz}} names no parameter; declared parameters: location, days',
    ]);
  });

  test('YAML syntax errors are reported in the same format, without yaml excerpts', async () => {
    const file = fixture('syntax.yaml');
    expect(await errorLines(() => loadConfig(file, {}), file)).toEqual([
      'FILE:5:5  Map keys must be unique',
      'FILE:7:1  Flow sequence in block collection must be sufficiently indented and end with a ]',
    ]);
  });

  test('an unreadable file is one error at 1:1 with the path as given', async () => {
    const err = await errorLines(() => loadConfig('does/not/exist.yaml', {}));
    expect(err).toEqual([
      'does/not/exist.yaml:1:1  cannot read the config file (ENOENT); check the path, or create it (agents.yaml in the repository is an example)',
    ]);
  });
});

describe('parseConfig', () => {
  test('empty documents and non-map top levels are one clear error at 1:1', async () => {
    expect(await errorLines(() => parseConfig('# nothing\n', 'a.yaml', {}))).toEqual([
      'a.yaml:1:1  the file is empty; it needs at least an `agents:` map',
    ]);
    expect(await errorLines(() => parseConfig('- a\n- b\n', 'a.yaml', {}))).toEqual([
      'a.yaml:1:1  the top level must be a map of settings (key: value lines), not a list',
    ]);
    expect(await errorLines(() => parseConfig('agents\n', 'a.yaml', {}))).toEqual([
      'a.yaml:1:1  the top level must be a map of settings (key: value lines), not a single value',
    ]);
  });

  test('a missing agents section points at the top-level map', async () => {
    expect(await errorLines(() => parseConfig('# c\napprovals: reject\n', 'a.yaml', {}))).toEqual([
      'a.yaml:2:1  agents: missing required key "agents"',
    ]);
  });

  test('interpolates values, with defaults and the $${ escape', () => {
    const source = [
      'openai:',
      '  api_key: ${KEY}',
      '  model: ${MODEL:-gpt-realtime-mini}',
      'agents:',
      '  a:',
      '    instructions: "Say $${NOT_A_VAR} to ${WHO}"',
    ].join('\n');
    const { config } = parseConfig(source, 'a.yaml', { KEY: 'sk-1', MODEL: '', WHO: 'Bob' });
    expect(config.openai).toEqual({ api_key: 'sk-1', model: 'gpt-realtime-mini', transcription: { model: 'gpt-transcribe' } });
    expect(config.agents.a?.instructions).toBe('Say ${NOT_A_VAR} to Bob');
  });
});
