// Declared tools become SDK function tools. Parameters compile to a zod object; the SDK turns it
// into the strict JSON Schema the Realtime API sees. Built-ins (hang_up, transfer) act on the call
// through its Line; result templates and http requests may use the call's facts.
import { backgroundResult, tool, type RealtimeContextData } from '@openai/agents/realtime';
import type { RunContext } from '@openai/agents';
import { z } from 'zod';
import type { ParamConfig, ToolConfig, TransferConfig } from '../config/index.ts';
import { runHttpTool, secretMasker, secretsOf } from './http-tool.ts';
import { factValues, type CallContext, type Line } from './line.ts';
import { renderTemplate } from './template.ts';
import { toolFailure } from './tool-outcome.ts';

type Context = RunContext<RealtimeContextData<CallContext>> | undefined;
const lineOf = (context: Context): Line | undefined => context?.context.line;

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

const HANG_UP_DESCRIPTION = 'End the phone call. Call it when the conversation is over and you have said goodbye.';

export function compileTool(id: string, config: ToolConfig, signingSecret?: string) {
  if (config.hang_up) {
    return tool({
      name: id,
      description: config.description ?? HANG_UP_DESCRIPTION,
      parameters: z.object({}),
      execute: async (_args: Record<string, unknown>, context?: Context) => {
        lineOf(context)?.control?.hangUp();
        return 'The call will end as soon as you have finished speaking. Say a short goodbye now, nothing else.';
      },
    });
  }
  if (config.transfer) return transferTool(id, config.description, config.transfer);
  if (config.http) return httpTool(id, config, config.http, signingSecret);
  const template = config.result ?? '';
  return tool({
    name: id,
    description: config.description ?? '',
    parameters: parametersSchema(config.parameters),
    needsApproval: config.needs_approval,
    execute: async (args: Record<string, unknown>, context?: Context) => {
      const line = lineOf(context);
      const text = renderTemplate(template, line ? { ...factValues(line.facts), ...args } : args);
      // A background result is handed to the model without asking it for a new response.
      return config.background ? backgroundResult(text) : text;
    },
  });
}

/** Each http tool's masker, by the SDK tool object that session events carry (see maskToolText). */
const maskers = new WeakMap<object, (text: string) => string>();

/**
 * `text` (a tool's arguments or result, on its way to the record or the log) with the tool's
 * secrets masked in every encoding; as it is for a tool that has none.
 */
export function maskToolText(tool: object, text: string): string {
  return maskers.get(tool)?.(text) ?? text;
}

function httpTool(id: string, config: ToolConfig, http: NonNullable<ToolConfig['http']>, signingSecret: string | undefined) {
  const mask = secretMasker(secretsOf(http, signingSecret));
  const compiled = tool({
    name: id,
    description: config.description ?? '',
    parameters: parametersSchema(config.parameters),
    needsApproval: config.needs_approval,
    execute: async (args: Record<string, unknown>, context?: Context) => {
      const line = lineOf(context);
      const outcome = await runHttpTool(id, http, line ? { ...factValues(line.facts), ...args } : args, signingSecret);
      // A service that echoes its request back (in any encoding) must not hand our secrets to the
      // model, nor through the result the SDK reports to the call record and its "tool used" line.
      const text = mask(outcome.text);
      if (outcome.failed) toolFailure(context, text);
      return config.background ? backgroundResult(text) : text;
    },
  });
  maskers.set(compiled, mask);
  return compiled;
}

/** The targets a transfer may go to, as the model sees them. */
function targetsOf(transfer: TransferConfig): { number: string; description?: string }[] {
  const list = typeof transfer.to === 'string' ? [transfer.to] : transfer.to;
  return list.map((t) => (typeof t === 'string' ? { number: t } : t));
}

function transferTool(id: string, description: string | undefined, transfer: TransferConfig) {
  const targets = targetsOf(transfer);
  const choose = targets.length > 1;
  const listed = targets.map((t) => (t.description ? `${t.number} (${t.description})` : t.number)).join('; ');
  const announce = transfer.announce ? `Say exactly this, and nothing else: "${transfer.announce}"` : 'Tell the caller in one short sentence that you are transferring them.';
  return tool({
    name: id,
    description: description ?? (choose ? `Transfer the caller to one of: ${listed}.` : 'Transfer the caller to a person.'),
    // The model picks from the list; anything else is refused back to it (strict schemas allow no enum escape, but a model can still send one).
    parameters: choose ? z.object({ to: z.string().describe(`One of: ${listed}`) }) : z.object({}),
    execute: async (args: Record<string, unknown>, context?: Context) => {
      const to = choose ? String(args.to ?? '') : targets[0]!.number;
      if (!targets.some((t) => t.number === to)) {
        return `Cannot transfer to ${to || 'that number'}: it is not an allowed target. Allowed: ${listed}.`;
      }
      lineOf(context)?.control?.transfer({ to, callerId: transfer.caller_id, timeoutSeconds: transfer.timeout_seconds, record: transfer.record });
      return `Transferring the caller to ${to} as soon as you have finished speaking. ${announce}`;
    },
  });
}
