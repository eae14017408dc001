// The shape of agents.yaml. Objects are strict so a misspelt key is an error instead of a
// silently ignored setting. Every node is described: the text becomes editor hover help
// through the generated JSON Schema.
import { DEFAULT_REALTIME_MODEL, DEFAULT_TRANSCRIPTION_MODEL, isLiveModel, REASONING_EFFORTS } from '../models.ts';
import { unknownCallFacts } from './call-facts.ts';
import { dtmfSchema, numbersSchema, outboundSchema } from './call-control-schema.ts';
import { storageSchema } from './storage-schema.ts';
import { fillerShape, toolSchema } from './tool-schema.ts';
import { mcpServerSchema } from './mcp-schema.ts';
import { guardrailsShape } from './guardrail-schema.ts';
import { agentVoiceShape, tracingSchema, voiceSettingsShape } from './voice-schema.ts';
import { callEndWebhookSchema } from './notify-schema.ts';
import { loggingSchema, privacySchema } from './privacy-schema.ts';
import { z } from 'zod';

const ID = /^[A-Za-z0-9_-]+$/;
// Tool ids are sent to the model as function names, which the API caps at 64 characters.
const TOOL_ID = /^[A-Za-z0-9_-]{1,64}$/;

const agentId = z.string().regex(ID, { error: 'agent ids may only contain letters, digits, "_" and "-"' });
const toolId = z.string().regex(TOOL_ID, {
  error: 'tool ids may only contain letters, digits, "_" and "-", at most 64 characters',
});
const serverId = z.string().regex(ID, { error: 'MCP server ids may only contain letters, digits, "_" and "-"' });

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

export const reasoningSchema = z
  .strictObject({
    effort: z
      .enum(REASONING_EFFORTS)
      .describe('minimal answers fastest, xhigh thinks longest before speaking; the API default is low.'),
  })
  .describe('How much a gpt-realtime-2 model reasons before it answers.');

const transcriptionSchema = z
  .strictObject({
    model: z
      .string()
      .min(1, { error: 'must not be empty' })
      .default(DEFAULT_TRANSCRIPTION_MODEL)
      .describe('Transcription model for what the caller says, e.g. gpt-transcribe.'),
    language: z
      .string()
      .regex(/^[a-z]{2}$/, { error: 'must be an ISO-639-1 language code like en or es' })
      .optional()
      .describe("The caller's language (ISO-639-1, e.g. en); improves accuracy and latency."),
    prompt: z.string().optional().describe('Words to expect (names, products), to guide the transcription.'),
  })
  .describe("Transcription of the caller's speech, for the call record.");

const openaiSchema = z
  .strictObject({
    model: z
      .string()
      .min(1, { error: 'must not be empty' })
      .refine((model) => !isLiveModel(model), {
        error: `GPT-Live models do not serve the Realtime API, which switchboard speaks; use ${DEFAULT_REALTIME_MODEL}`,
      })
      .default(DEFAULT_REALTIME_MODEL)
      .describe(`Realtime model name; defaults to the Agents SDK's current default (${DEFAULT_REALTIME_MODEL}).`),
    url: z
      .url({ protocol: /^wss?$/, error: 'must be a ws:// or wss:// URL' })
      .optional()
      .describe('Override of the Realtime WebSocket endpoint (ws:// or wss://).'),
    api_key: z.string().optional().describe('OpenAI API key; usually ${OPENAI_API_KEY}.'),
    reasoning: reasoningSchema.optional().describe('Reasoning effort for every agent; agents may override it.'),
    transcription: transcriptionSchema.prefault({}),
    ...voiceSettingsShape,
    tracing: tracingSchema.optional(),
  })
  .describe('OpenAI Realtime connection settings.');

export { mcpServerSchema };

const seconds = (what: string) => z.number().positive({ error: 'must be a positive number of seconds' }).describe(what);

export const fallbackSchema = z
  .strictObject({
    say: z.string().min(1, { error: 'must not be empty' }).optional().describe('Spoken to the caller when the call cannot go on.'),
    dial: z
      .string()
      .regex(/^(\+[1-9][0-9]{1,14}|sip:\S+)$/, { error: 'must be an E.164 number like +15551234567 or a sip: URI' })
      .optional()
      .describe('Where to transfer the caller when the call cannot go on (after `say`).'),
  })
  .describe('What the caller hears when the call fails: an apology, then a transfer or a hang-up.');

export const limitsSchema = z
  .strictObject({
    max_concurrent_calls: z
      .number()
      .int({ error: 'must be a whole number' })
      .positive({ error: 'must be at least 1' })
      .default(100)
      .describe('Calls beyond this get the busy message and are hung up, with no upstream opened.'),
    busy_say: z
      .string()
      .default('Sorry, all our lines are busy. Please call again later.')
      .describe('Spoken to callers turned away at the concurrency limit.'),
    max_call_seconds: seconds('A call is ended (through the fallback) after this long.').default(1800),
    idle_seconds: seconds('A call with no audio either way for this long is ended (through the fallback).').default(60),
    connect_timeout_seconds: seconds('How long to wait for the Realtime API before giving up on a call.').default(5),
  })
  .describe('Limits that protect the server, the caller and the bill.');

export const agentSchema = z
  .strictObject({
    name: z.string().optional().describe('Display name; defaults to the agent id.'),
    instructions: z.string().min(1, { error: 'must not be empty' }).describe('System prompt of the agent.'),
    voice: z.string().optional().describe('Realtime voice, e.g. verse.'),
    say: z.string().optional().describe('Spoken by Twilio <Say> before the stream connects; {{call.from}} etc. are filled in.'),
    first_message: z
      .string()
      .min(1, { error: 'must not be empty' })
      .optional()
      .describe('Said by the agent, in its own voice, as soon as the stream starts; {{call.*}} are filled in.'),
    dtmf: dtmfSchema.prefault({}),
    tools: z.array(z.string()).default([]).describe('Ids of tools (under `tools`) this agent can call.'),
    mcp_servers: z.array(z.string()).default([]).describe('Ids of MCP servers (under `mcp_servers`) this agent can use.'),
    handoffs: z.array(z.string()).default([]).describe('Ids of agents this agent can hand the call to.'),
    handoff_description: z.string().optional().describe('Tells other agents when to hand off to this one.'),
    fallback: fallbackSchema.optional().describe('Overrides the global `fallback` for calls this agent answers.'),
    reasoning: reasoningSchema.optional().describe('Overrides `openai.reasoning` while this agent has the call.'),
    ...guardrailsShape,
    ...agentVoiceShape,
  })
  // {{call.*}} in what is rendered per call must name a call fact.
  .superRefine(
    (agent, ctx) => {
      for (const key of ['instructions', 'say', 'first_message'] as const) {
        const text = agent[key];
        if (typeof text === 'string') for (const message of unknownCallFacts(text)) ctx.addIssue({ code: 'custom', path: [key], message });
      }
    },
    { when: ({ value }) => isRecord(value) },
  )
  .describe('A voice agent.');

export const configSchema = z
  .strictObject({
    openai: openaiSchema.prefault({}),
    entry: z.string().optional().describe('Id of the agent that answers calls; defaults to the first agent.'),
    numbers: numbersSchema,
    storage: storageSchema.prefault({}),
    outbound: outboundSchema.prefault({}),
    approvals: z
      .enum(['approve', 'reject'])
      .default('approve')
      .describe('What happens to tool calls that need approval.'),
    agents: z
      .record(agentId, agentSchema)
      .refine((agents) => Object.keys(agents).length > 0, { error: 'declare at least one agent' })
      .transform((agents) => {
        const named: Record<string, AgentConfig> = {};
        for (const [id, agent] of Object.entries(agents)) named[id] = { ...agent, name: agent.name ?? id };
        return named;
      })
      .describe('Agents by id; the id is what `entry` and `handoffs` refer to.'),
    limits: limitsSchema.default(limitsSchema.parse({})),
    fallback: fallbackSchema
      .default({ say: 'Sorry, something went wrong on our side. Please call again later.' })
      .describe('What callers hear when a call fails; agents may override it.'),
    tools: z.record(toolId, toolSchema).default({}).describe('Tools by id; the id is the function name the model sees.'),
    mcp_servers: z.record(serverId, mcpServerSchema).default({}).describe('MCP servers by id.'),
    ...fillerShape,
    ...guardrailsShape,
    on_call_end: callEndWebhookSchema.optional(),
    privacy: privacySchema.prefault({}),
    logging: loggingSchema.prefault({}),
  })
  // The refine above guarantees a first agent, so the fallback never yields undefined.
  .transform((config) => ({ ...config, entry: config.entry ?? Object.keys(config.agents)[0] ?? '' }))
  .describe('switchboard agents.yaml: voice agents that answer phone calls.');

export type AgentConfig = Omit<z.output<typeof agentSchema>, 'name'> & { name: string };
export type Config = z.output<typeof configSchema>;
export type { ParamConfig, ToolConfig } from './tool-schema.ts';
export type { DtmfConfig, OutboundConfig, TransferConfig } from './call-control-schema.ts';
export type { McpServerConfig } from './mcp-schema.ts';
export type { GuardrailConfig } from './guardrail-schema.ts';
export type { LoggingConfig, PrivacyConfig, RedactEntry } from './privacy-schema.ts';
export type { HttpConfig } from './http-tool-schema.ts';
export type FallbackConfig = z.output<typeof fallbackSchema>;
export type LimitsConfig = z.output<typeof limitsSchema>;
export type ReasoningConfig = z.output<typeof reasoningSchema>;
