import { describe, expect, test } from 'bun:test';
import { RunContext } from '@openai/agents';
import { isBackgroundResult } from '@openai/agents/realtime';
import { z } from 'zod';
import { parseConfig } from '../config/index.ts';
import { compileAgents, describeAgentSet } from './compile.ts';
import { compileTool, parametersSchema } from './tools.ts';

const SHIPPED = await Bun.file(new URL('../../agents.yaml', import.meta.url)).text();

describe('compileAgents', () => {
  test('the shipped agents.yaml compiles into the seed Greeter', () => {
    const set = compileAgents(parseConfig(SHIPPED, 'agents.yaml', {}).config);
    expect(set.entryId).toBe('greeter');
    expect(set.model).toBe('gpt-realtime-2.1');
    const greeter = set.agents.get('greeter')!;
    expect(greeter.name).toBe('Greeter');
    expect(greeter.voice).toBe('verse');
    expect(greeter.tools.map((t) => t.name)).toEqual(['hosted_mcp', 'weather', 'secret']);
    expect(describeAgentSet(set)).toEqual(['agent greeter (entry): voice verse, tools [weather, secret], mcp [deepwiki]']);
  });

  test('handoffs may form a cycle and entry picks the answering agent', () => {
    const yaml = `
entry: support
agents:
  sales: { instructions: sell, handoffs: [support], handoff_description: buying things }
  support: { instructions: help, handoffs: [sales] }
`;
    const set = compileAgents(parseConfig(yaml, 'a.yaml', {}).config);
    const sales = set.agents.get('sales')!;
    const support = set.agents.get('support')!;
    expect(set.entryId).toBe('support');
    expect(sales.handoffs.map((h) => ('agent' in h ? h.agent : h))).toEqual([support]);
    expect(support.handoffs.map((h) => ('agent' in h ? h.agent : h))).toEqual([sales]);
    expect(sales.handoffDescription).toBe('buying things');
  });
});

describe('template tools', () => {
  // What a call's session gives its tools: the Line (see agents/line.ts).
  const ctx = new RunContext({ line: { agentId: 'a', facts: { sid: 'CA1', from: '+15550001111', to: '+15550002222', direction: 'inbound', params: {} } }, history: [] });

  test('a background tool answers from its template with a background result', async () => {
    const weather = compileTool('weather', {
      description: 'd',
      parameters: { location: { type: 'string' } },
      result: 'The weather in {{location}} is sunny.',
      background: true,
      needs_approval: false,
    });
    const out = await weather.invoke(ctx, JSON.stringify({ location: 'Oslo' }));
    expect(isBackgroundResult(out)).toBe(true);
    expect((out as unknown as { content: string }).content).toBe('The weather in Oslo is sunny.');
  });

  test('a plain tool answers with text and keeps its approval flag', async () => {
    const secret = compileTool('secret', {
      description: 'd',
      parameters: { question: { type: 'string' } },
      result: 'The answer to {{question}} is 42.',
      background: false,
      needs_approval: true,
    });
    expect(await secret.invoke(ctx, JSON.stringify({ question: 'why' }))).toBe('The answer to why is 42.');
    expect(await secret.needsApproval(ctx, { question: 'why' } as never, 'call_1')).toBe(true);
  });

  test('parameters compile to a strict JSON Schema: types, enums, descriptions, optional as nullable', () => {
    const schema = z.toJSONSchema(
      parametersSchema({
        city: { type: 'string', description: 'City name' },
        unit: { type: 'string', enum: ['c', 'f'] },
        days: { type: 'integer', optional: true },
        hot: { type: 'boolean' },
        n: { type: 'number' },
      }),
    ) as { properties: Record<string, unknown>; required: string[] };
    expect(schema.required.sort()).toEqual(['city', 'days', 'hot', 'n', 'unit']);
    expect(schema.properties.city).toEqual({ type: 'string', description: 'City name' });
    expect(schema.properties.unit).toEqual({ type: 'string', enum: ['c', 'f'] });
    expect(schema.properties.days).toMatchObject({ anyOf: [{ type: 'integer' }, { type: 'null' }] });
    expect(schema.properties.hot).toEqual({ type: 'boolean' });
  });
});
