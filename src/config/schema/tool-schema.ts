// A tool in agents.yaml is one of a few kinds, named by its key: `result` (a fixed templated
// answer), `http` (calls the user's service), `hang_up` (ends the call once the goodbye has
// played) or `transfer` (hands the caller to a number). `hang_up` may be listed by an agent
// without being declared.
import { z } from 'zod';
import { unknownCallFacts } from './call-facts.ts';
import { transferSchema } from './call-control-schema.ts';
import { httpSchema, httpTemplates } from './http-tool-schema.ts';
import { placeholders } from './template.ts';

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export const TOOL_KINDS = ['result', 'http', 'hang_up', 'transfer'] as const;
/** Kinds whose arguments the model fills in; built-ins have their own. */
const TAKES_PARAMETERS: readonly string[] = ['result', 'http'];
/** Built-in tools an agent may list without declaring them under `tools:`. */
export const IMPLICIT_TOOLS: Record<string, { hang_up: true }> = { hang_up: { hang_up: true } };

/** How long a tool may run before the agent says a filler; shared by tools, MCP servers and the global key. */
export const fillerAfterMs = z
  .number()
  .int({ error: 'must be a whole number of milliseconds' })
  .min(100, { error: 'must be at least 100' })
  .max(60_000, { error: 'must be at most 60000' });

export const paramSchema = z
  .strictObject({
    type: z.enum(['string', 'number', 'integer', 'boolean']).describe('JSON type of the argument.'),
    description: z.string().optional().describe('Tells the model what to pass.'),
    enum: z
      .array(z.string())
      .min(1, { error: 'must list at least one value' })
      .optional()
      .describe('Allowed values; only for type: string.'),
    optional: z.boolean().optional().describe('The model may leave this argument out.'),
  })
  // Runs even when the enum items are invalid: `enum: [1, 2]` on a number is one mistake,
  // reported once here (load drops the item errors beneath it).
  .superRefine(
    (_param, ctx) =>
      ctx.addIssue({
        code: 'custom',
        path: ['enum'],
        message: 'enum is only allowed on string parameters; remove it or set type: string',
      }),
    {
      when: ({ value }) =>
        isRecord(value) && value.enum !== undefined && ['number', 'integer', 'boolean'].includes(String(value.type)),
    },
  )
  .describe('One argument the model passes to the tool.');

export const toolSchema = z
  .strictObject({
    description: z.string().min(1, { error: 'must not be empty' }).optional().describe('Tells the model when to call the tool (built-ins have one).'),
    parameters: z.record(z.string(), paramSchema).default({}).describe('Arguments by name (result and http tools).'),
    result: z
      .string()
      .optional()
      .describe('What the tool returns to the model; {{name}} is replaced by the argument of that name, {{call.from}} etc. by call facts.'),
    http: httpSchema.optional(),
    hang_up: z.literal(true, { error: 'must be true' }).optional().describe('Built-in: the agent says goodbye, then the call ends.'),
    transfer: transferSchema.optional(),
    background: z.boolean().default(false).describe('Answer at once and let the conversation go on while it runs.'),
    needs_approval: z.boolean().default(false).describe('Ask for approval (see `approvals`) before running.'),
    filler_after_ms: fillerAfterMs.optional().describe('While the tool runs longer than this, the agent says `filler_say` (overrides the global one).'),
  })
  // Runs even when a sibling field is invalid, so every problem is reported together; hence the
  // defensive reads.
  .superRefine(
    (tool, ctx) => {
      const kinds = TOOL_KINDS.filter((kind) => tool[kind] !== undefined);
      if (kinds.length !== 1) {
        const message =
          kinds.length === 0
            ? 'a tool needs one of: result (a templated answer), http: {...}, hang_up: true, transfer: {...}'
            : `a tool is one kind; it has ${kinds.join(' and ')}: keep one`;
        ctx.addIssue({ code: 'custom', path: [], message });
        return;
      }
      if (!TAKES_PARAMETERS.includes(kinds[0]!)) {
        if (isRecord(tool.parameters) && Object.keys(tool.parameters).length > 0) {
          ctx.addIssue({ code: 'custom', path: ['parameters'], message: `built-in ${kinds[0]} tools take no parameters; remove them` });
        }
        return;
      }
      if (tool.description === undefined) ctx.addIssue({ code: 'custom', path: ['description'], message: 'missing required key "description"' });
      const params = isRecord(tool.parameters) ? Object.keys(tool.parameters) : [];
      const templates =
        kinds[0] === 'http'
          ? httpTemplates(tool.http).map(({ path, text }) => ({ path: ['http', ...path], text }))
          : [{ path: ['result'], text: typeof tool.result === 'string' ? tool.result : '' }];
      for (const { path, text } of templates) {
        // Zod extends an issue's path in place: each issue gets its own copy.
        for (const message of unknownCallFacts(text)) ctx.addIssue({ code: 'custom', path: [...path], message });
        for (const name of placeholders(text)) {
          if (params.includes(name) || name.startsWith('call.')) continue;
          const declared = params.length ? `declared parameters: ${params.join(', ')}` : 'no parameters are declared';
          ctx.addIssue({
            code: 'custom',
            path: [...path],
            message: `{{${name}}} names no parameter; ${declared}`,
            // The template may come from the environment; load uses this wording then.
            params: { withoutInput: `a {{placeholder}} names no parameter; ${declared}` },
          });
        }
      }
    },
    { when: ({ value }) => isRecord(value) },
  )
  .describe('A tool: a templated result, an HTTP request, or a built-in (hang_up, transfer).');

export type ToolConfig = z.output<typeof toolSchema>;
export type ParamConfig = z.output<typeof paramSchema>;

export const DEFAULT_FILLER_SAY = 'One moment while I look that up.';

/** The global filler keys (top level of agents.yaml). */
export const fillerShape = {
  filler_after_ms: fillerAfterMs
    .optional()
    .describe('While a tool runs longer than this, the agent says `filler_say` instead of leaving the caller in silence (off when unset).'),
  filler_say: z.string().min(1, { error: 'must not be empty' }).optional().describe(`What the agent says while a slow tool runs (default "${DEFAULT_FILLER_SAY}").`),
};
