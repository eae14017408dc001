import { describe, expect, test } from 'bun:test';
import { configSchema } from './schema.ts';

const agent = { instructions: 'Help.' };
const messages = (data: unknown) => {
  const parsed = configSchema.safeParse(data);
  return parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
};

describe('configSchema', () => {
  test('applies defaults: openai, approvals, entry = first agent, name = id, empty lists', () => {
    expect(configSchema.parse({ agents: { first: agent, second: { ...agent, name: 'Second' } } })).toEqual({
      openai: { model: 'gpt-realtime-2.1', transcription: { model: 'gpt-transcribe' } },
      approvals: 'approve',
      limits: { max_concurrent_calls: 100, busy_say: 'Sorry, all our lines are busy. Please call again later.', max_call_seconds: 1800, idle_seconds: 60, connect_timeout_seconds: 5 },
      fallback: { say: 'Sorry, something went wrong on our side. Please call again later.' },
      entry: 'first',
      agents: {
        first: { name: 'first', instructions: 'Help.', dtmf: { mode: 'each', end_on: '#', timeout_ms: 3000 }, tools: [], mcp_servers: [], handoffs: [] },
        second: { name: 'Second', instructions: 'Help.', dtmf: { mode: 'each', end_on: '#', timeout_ms: 3000 }, tools: [], mcp_servers: [], handoffs: [] },
      },
      numbers: {},
      storage: { url: 'sqlite://./data/switchboard.db', retain_days: 90, keep_dtmf: false },
      outbound: { machine_detection: 'off', max_per_minute: 10, max_per_day: 200 },
      privacy: { redact: ['card_number'] },
      logging: { content: false },
      tools: {},
      mcp_servers: {},
    });
  });

  test('keeps an explicit entry', () => {
    expect(configSchema.parse({ entry: 'b', agents: { a: agent, b: agent } }).entry).toBe('b');
  });

  test('needs at least one agent with non-empty instructions', () => {
    expect(messages({ agents: {} })).toEqual(['agents: declare at least one agent']);
    expect(messages({ agents: { a: { instructions: '' } } })).toEqual(['agents.a.instructions: must not be empty']);
  });

  test('enum is only for string parameters', () => {
    const tool = (param: object) => ({
      agents: { a: agent },
      tools: { t: { description: 'd', parameters: { p: param }, result: 'r' } },
    });
    expect(messages(tool({ type: 'string', enum: ['x', 'y'] }))).toEqual([]);
    expect(messages(tool({ type: 'integer', enum: ['1'] }))).toEqual([
      'tools.t.parameters.p.enum: enum is only allowed on string parameters; remove it or set type: string',
    ]);
  });

  test('result placeholders must name declared parameters, even when other fields are wrong', () => {
    const data = {
      agents: { a: agent },
      tools: { t: { description: 5, parameters: { city: { type: 'string' } }, result: '{{city}} {{town}}{{}}' } },
    };
    expect(messages(data)).toEqual([
      'tools.t.description: Invalid input: expected string, received number',
      'tools.t.result: {{town}} names no parameter; declared parameters: city',
      'tools.t.result: {{}} names no parameter; declared parameters: city',
    ]);
  });

  test('tool ids are function names: at most 64 characters', () => {
    const tools = (id: string) => ({ agents: { a: agent }, tools: { [id]: { description: 'd', result: 'r' } } });
    expect(messages(tools('t'.repeat(64)))).toEqual([]);
    expect(messages(tools('t'.repeat(65)))).toEqual([`tools.${'t'.repeat(65)}: Invalid key in record`]);
  });

  test('URLs: ws(s) for openai, http(s) for MCP servers', () => {
    const data = (openaiUrl: string, mcpUrl: string) => ({
      openai: { url: openaiUrl },
      agents: { a: agent },
      mcp_servers: { m: { hosted: true, url: mcpUrl } },
    });
    expect(messages(data('wss://example.com/v1/realtime', 'https://mcp.example.com/sse'))).toEqual([]);
    expect(messages(data('https://example.com', 'wss://mcp.example.com'))).toEqual([
      'openai.url: must be a ws:// or wss:// URL',
      'mcp_servers.m.url: must be an http:// or https:// URL',
    ]);
  });
});
