import { describe, expect, test } from 'bun:test';
import { formatError } from './errors.ts';
import { parseConfig } from '../load.ts';
import { VOICES } from '../voices.ts';

const notices = (lines: string[], env: Record<string, string> = {}) =>
  parseConfig([...lines, ''].join('\n'), 'agents.yaml', env, { today: '2026-12-01' }).notices.map(
    (n) => `${n.severity}: ${formatError(n)}`,
  );
const agent = (...more: string[]) => ['agents:', '  greeter:', '    instructions: hi', ...more.map((l) => `    ${l}`)];
const KNOWN = 'known voices: alloy, ash, ballad, coral, echo, sage, shimmer, verse, marin, cedar';

describe('voices', () => {
  test('every known voice is fine', () => {
    for (const voice of VOICES) expect(notices(agent(`voice: ${voice}`))).toEqual([]);
  });

  test('an unknown voice is a warning at its value, with a suggestion and the known voices', () => {
    expect(notices(agent('voice: vers'))).toEqual([`warning: agents.yaml:4:12  agents.greeter.voice: unknown voice "vers"; did you mean "verse"? ${KNOWN}`]);
    expect(notices(agent('voice: Marin'))).toEqual([`warning: agents.yaml:4:12  agents.greeter.voice: unknown voice "Marin"; did you mean "marin"? ${KNOWN}`]);
    expect(notices(agent('voice: robot'))).toEqual([`warning: agents.yaml:4:12  agents.greeter.voice: unknown voice "robot"; ${KNOWN}`]);
  });

  test('a voice from the environment is not quoted, nor guessed at', () => {
    expect(notices(agent('voice: ${VOICE}'), { VOICE: 'vers' })).toEqual([`warning: agents.yaml:4:12  agents.greeter.voice: unknown voice; ${KNOWN}`]);
    // A default written in the file is the file's own text.
    expect(notices(agent('voice: ${VOICE:-vers}'))).toEqual([
      `warning: agents.yaml:4:12  agents.greeter.voice: unknown voice "vers"; did you mean "verse"? ${KNOWN}`,
    ]);
  });
});

describe('secrets written into the file', () => {
  const key = 'sk-proj-abc123supersecret';
  const openai = (apiKey: string) => ['openai:', `  api_key: ${apiKey}`, 'agents:', '  a: { instructions: hi }'];
  const LITERAL_KEY =
    'openai.api_key: a literal API key in the YAML ends up in backups and version control; use ${OPENAI_API_KEY} and put the key in .env';

  test('a literal API key is a warning at its line that never shows the key', () => {
    const found = notices(openai(key));
    expect(found).toEqual([`warning: agents.yaml:2:12  ${LITERAL_KEY}`]);
    expect(found.join('\n')).not.toContain('supersecret');
    // A default in the file is literal too.
    expect(notices(openai(`\${OPENAI_API_KEY:-${key}}`))).toEqual([`warning: agents.yaml:2:12  ${LITERAL_KEY}`]);
  });

  test('a key from the environment, or none, is fine', () => {
    expect(notices(openai('${OPENAI_API_KEY}'), { OPENAI_API_KEY: key })).toEqual([]);
    expect(notices(openai('"${OPENAI_API_KEY:-}"'))).toEqual([]);
    expect(notices(openai('""'))).toEqual([]);
  });

  const server = (...headers: string[]) => [
    'agents:',
    '  a: { instructions: hi }',
    'mcp_servers:',
    '  deep-wiki:',
    '    hosted: true',
    '    url: https://mcp.example.com',
    '    headers:',
    ...headers.map((h) => `      ${h}`),
  ];

  test('a literal credential in MCP headers is a warning that suggests a variable', () => {
    const found = notices(server('Authorization: Bearer ghp_supersecret', 'X-Api-Key: supersecret', 'Accept: text/event-stream'));
    expect(found).toEqual([
      'warning: agents.yaml:8:22  mcp_servers.deep-wiki.headers.Authorization: a literal secret in the YAML ends up in backups and version control; write "Bearer ${DEEP_WIKI_TOKEN}" and put the secret in .env',
      'warning: agents.yaml:9:18  mcp_servers.deep-wiki.headers.X-Api-Key: a literal secret in the YAML ends up in backups and version control; write ${DEEP_WIKI_TOKEN} and put the secret in .env',
    ]);
    expect(found.join('\n')).not.toContain('supersecret');
  });

  test('headers with their secret from the environment are fine', () => {
    expect(notices(server('Authorization: "Bearer ${TOKEN}"', 'X-Api-Key: ${TOKEN}'), { TOKEN: 'supersecret' })).toEqual([]);
    expect(notices(server('Authorization: "Bearer ${TOKEN:-}"'))).toEqual([]);
  });

  const webhook = (secret: string, ...headers: string[]) => [
    'agents:',
    '  a: { instructions: hi }',
    'on_call_end:',
    '  url: https://crm.example.com/calls',
    `  secret: ${secret}`,
    '  headers:',
    ...headers.map((h) => `    ${h}`),
  ];

  test("a literal call-end webhook secret or credential header is a warning that never shows it", () => {
    const found = notices(webhook('supersecret-0123456789', 'Authorization: Token supersecret', 'X-Source: switchboard'));
    expect(found).toEqual([
      'warning: agents.yaml:5:11  on_call_end.secret: a literal secret in the YAML ends up in backups and version control; write ${WEBHOOK_SECRET} and put the secret in .env',
      'warning: agents.yaml:7:20  on_call_end.headers.Authorization: a literal secret in the YAML ends up in backups and version control; write "Token ${WEBHOOK_TOKEN}" and put the secret in .env',
    ]);
    expect(found.join('\n')).not.toContain('supersecret');
    const env = { WEBHOOK_SECRET: 'supersecret-0123456789', T: 'supersecret' };
    expect(notices(webhook('${WEBHOOK_SECRET}', 'Authorization: "Token ${T}"'), env)).toEqual([]);
  });
});

test('agents that hand a call to each other in different voices get a warning at the handoff', () => {
  const yaml = [
    'agents:',
    '  front: { instructions: hi, voice: verse, handoffs: [billing, same] }',
    '  billing: { instructions: hi, voice: marin }',
    '  same: { instructions: hi, voice: verse }',
    '',
  ].join('\n');
  expect(parseConfig(yaml, 'agents.yaml', {}).notices.map(formatError)).toEqual([
    'agents.yaml:2:55  agents.front.handoffs[0]: front speaks with verse and billing with marin, but a call keeps the voice it started with: after this handoff the caller still hears verse; give both agents the same voice',
  ]);
});

describe('outbound destinations', () => {
  const outbound = (allowed: string) => ['outbound:', `  allowed_destinations: ${allowed}`, 'agents:', '  a: { instructions: hi }'];

  test('a listed premium or high-fraud prefix is a warning at its item, saying what it opens', () => {
    expect(notices(outbound('["+1", "+1900", "+8825"]'))).toEqual([
      'warning: agents.yaml:2:32  outbound.allowed_destinations[1]: +1900 allows calls to +1900, North American premium-rate (900) numbers, where toll fraud sends calls; keep it only if you mean to call there',
      'warning: agents.yaml:2:41  outbound.allowed_destinations[2]: +8825 allows calls to +882, international networks (non-geographic numbers), billed at premium rates, where toll fraud sends calls; keep it only if you mean to call there',
    ]);
  });

  test('prefixes that only contain risky ranges (which stay refused) are fine', () => {
    expect(notices(outbound('["+1", "+44", "+2"]'))).toEqual([]);
  });
});
