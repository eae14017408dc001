import { expect, test } from 'bun:test';
import { compileAgents } from '../agents/compile.ts';
import { parseConfig } from '../config/index.ts';
import { declaresTool, endReasonLabel } from './labels.ts';

test('declared tools: the YAML tools, hang_up, and MCP servers\' allowed_tools; nothing the upstream makes up', () => {
  const yaml = `
agents:
  desk: { instructions: Help., tools: [weather], mcp_servers: [docs] }
tools:
  weather: { description: The weather., result: Sunny. }
  refund: { description: A refund., result: Done. }
mcp_servers:
  docs: { hosted: true, url: "https://docs.example.com/mcp", allowed_tools: [search_docs] }
`;
  const set = compileAgents(parseConfig(yaml, 'agents.yaml', {}).config);
  for (const name of ['weather', 'refund', 'hang_up', 'search_docs']) expect(declaresTool(set, name)).toBe(true);
  for (const name of ['read_wiki', 'other', '__proto__', 'constructor', '']) expect(declaresTool(set, name)).toBe(false);
});

test('end reasons: those of EndReason, "unknown" for none, "other" for anything else', () => {
  expect(endReasonLabel('caller_hangup')).toBe('caller_hangup');
  expect(endReasonLabel('shutdown')).toBe('shutdown');
  expect(endReasonLabel(undefined)).toBe('unknown');
  expect(endReasonLabel('toString')).toBe('other');
  expect(endReasonLabel('x'.repeat(1000))).toBe('other');
});
