// JSON Schema for agents.yaml, for editors (yaml-language-server: hover text, completion,
// squiggles for unknown keys). It describes what may be written, so defaults are optional.
import { z } from 'zod';
import { configSchema } from './schema/schema.ts';

export function configJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(configSchema, { io: 'input', unrepresentable: 'any' });
  return {
    ...schema,
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    title: 'switchboard agents.yaml',
    description: 'Voice agents that answer phone calls: their instructions, tools, MCP servers and handoffs.',
  };
}
