import { describe, expect, test } from 'bun:test';
import { checkReferences } from './references.ts';

const quote = (_path: unknown, value: string) => JSON.stringify(value);

describe('checkReferences', () => {
  test('entry, tools, MCP servers and handoffs must name something declared', () => {
    const data = {
      entry: 'nobody',
      agents: { a: { tools: ['t', 'x'], mcp_servers: ['m', 'y'], handoffs: ['b', 'a', 'z'] }, b: {} },
      tools: { t: {} },
      mcp_servers: { m: {} },
    };
    expect(checkReferences(data, quote)).toEqual([
      { path: ['entry'], at: 'value', message: 'unknown agent "nobody"; declared agents: a, b' },
      { path: ['agents', 'a', 'tools', 1], at: 'value', message: 'unknown tool "x"; declared tools: t' },
      {
        path: ['agents', 'a', 'mcp_servers', 1],
        at: 'value',
        message: 'unknown MCP server "y"; declared MCP servers: m',
      },
      {
        path: ['agents', 'a', 'handoffs', 1],
        at: 'value',
        message: 'an agent cannot hand off to itself; remove "a"',
      },
      { path: ['agents', 'a', 'handoffs', 2], at: 'value', message: 'unknown agent "z"; declared agents: a, b' },
    ]);
  });

  test('says where to declare things when a section is absent', () => {
    expect(checkReferences({ agents: { a: { tools: ['t'] } } }, quote)).toEqual([
      {
        path: ['agents', 'a', 'tools', 0],
        at: 'value',
        message: 'unknown tool "t"; no tools are declared; add them under `tools:`',
      },
    ]);
  });

  test('skips whatever is not shaped as expected (the schema reports that)', () => {
    expect(checkReferences({ agents: { a: { tools: 'x', handoffs: [3] } }, tools: [], entry: 5 }, quote)).toEqual([]);
    expect(checkReferences([], quote)).toEqual([]);
  });
});
