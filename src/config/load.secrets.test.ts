import { describe, expect, test } from 'bun:test';
import { ConfigErrors } from './diagnostics/errors.ts';
import { parseConfig } from './load.ts';

// Values from the environment are usually credentials; they must not end up in logs by way of
// an error message, even when they sit in a field that is invalid.
const secret = 'sk-supersecret';

function errorLines(source: string, env: Record<string, string>): string[] {
  try {
    parseConfig(source, 'a.yaml', env);
  } catch (err) {
    if (!(err instanceof ConfigErrors)) throw err;
    const formatted = err.format();
    expect(formatted).not.toContain('supersecret');
    expect(err.message).not.toContain('supersecret');
    return formatted.split('\n');
  }
  throw new Error('expected ConfigErrors');
}

describe('parseConfig and secrets', () => {
  test('secrets from the environment never appear in errors, even in invalid fields', () => {
    const source = [
      'openai:',
      '  url: ${TOKEN}',
      '  api_key: ${TOKEN}',
      'entry: ${TOKEN}',
      'agents:',
      '  a:',
      '    instructions: ${TOKEN}',
      '    tools: ${TOKEN}',
      '    handoffs:',
      '      - ${TOKEN}',
      '    voice: ${UNSET}',
      '    say: ["${TOKEN}"]',
      'mcp_servers:',
      '  m:',
      '    hosted: true',
      '    url: "${TOKEN}"',
      '    headers: { Authorization: "${TOKEN}" }',
    ].join('\n');
    const lines = errorLines(source, { TOKEN: secret });
    expect(lines).toEqual([
      'a.yaml:2:8  openai.url: must be a ws:// or wss:// URL',
      'a.yaml:4:8  entry: unknown agent from "${TOKEN}"; declared agents: a',
      'a.yaml:8:12  agents.a.tools: expected a list, got a string',
      'a.yaml:10:9  agents.a.handoffs[0]: unknown agent from "${TOKEN}"; declared agents: a',
      'a.yaml:11:12  agents.a.voice: environment variable UNSET is not set; export it, put it in .env, or write ${UNSET:-default}',
      'a.yaml:12:10  agents.a.say: expected a string, got a list',
      'a.yaml:16:10  mcp_servers.m.url: must be an http:// or https:// URL',
    ]);
  });

  test('a template from the environment is not quoted when its placeholder is wrong', () => {
    const source = [
      'agents:',
      '  a: { instructions: hi }',
      'tools:',
      '  t:',
      '    description: d',
      '    parameters: { city: { type: string } }',
      '    result: ${TEMPLATE}',
    ].join('\n');
    expect(errorLines(source, { TEMPLATE: `${secret} {{supersecret}}` })).toEqual([
      'a.yaml:7:13  tools.t.result: a {{placeholder}} names no parameter; declared parameters: city',
    ]);
  });
});
