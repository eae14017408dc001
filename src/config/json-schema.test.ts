import { describe, expect, test } from 'bun:test';
import { configJsonSchema } from './json-schema.ts';

describe('configJsonSchema', () => {
  test('describes agents.yaml for editors and survives JSON', () => {
    const schema = configJsonSchema();
    const roundTripped = JSON.parse(JSON.stringify(schema));
    expect(roundTripped).toEqual(schema);
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(schema.title).toBe('switchboard agents.yaml');
    expect(typeof schema.description).toBe('string');
    const properties = schema.properties as Record<string, { description?: string }>;
    expect(Object.keys(properties)).toEqual(['openai', 'entry', 'numbers', 'storage', 'outbound', 'approvals', 'agents', 'limits', 'fallback', 'tools', 'mcp_servers', 'filler_after_ms', 'filler_say', 'guardrails', 'on_call_end', 'privacy', 'logging']);
    expect(properties.agents?.description).toContain('Agents by id');
    expect(schema.required).toEqual(['agents']);
    expect(schema.additionalProperties).toBe(false);
  });
});
