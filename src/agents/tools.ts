// Declared tools become SDK function tools. Parameters compile to a zod object; the SDK turns it
// into the strict JSON Schema the Realtime API sees.
import { backgroundResult, tool } from '@openai/agents/realtime';
import { z } from 'zod';
import type { ParamConfig, ToolConfig } from '../config/index.ts';
import { renderTemplate } from './template.ts';

function paramSchema(param: ParamConfig): z.ZodType {
  let schema: z.ZodType;
  switch (param.type) {
    case 'string':
      schema = param.enum ? z.enum(param.enum as [string, ...string[]]) : z.string();
      break;
    case 'number':
      schema = z.number();
      break;
    case 'integer':
      schema = z.number().int();
      break;
    case 'boolean':
      schema = z.boolean();
      break;
  }
  if (param.description) schema = schema.describe(param.description);
  // Strict function schemas require every property; "optional" means the model may send null.
  return param.optional ? schema.nullable() : schema;
}

export function parametersSchema(params: Record<string, ParamConfig>) {
  const shape: Record<string, z.ZodType> = {};
  for (const [name, param] of Object.entries(params)) shape[name] = paramSchema(param);
  return z.object(shape);
}

export function compileTool(id: string, config: ToolConfig) {
  return tool({
    name: id,
    description: config.description,
    parameters: parametersSchema(config.parameters),
    needsApproval: config.needs_approval,
    execute: async (args: Record<string, unknown>) => {
      const text = renderTemplate(config.result, args);
      // A background result is handed to the model without asking it for a new response.
      return config.background ? backgroundResult(text) : text;
    },
  });
}
