// How the Realtime session sounds and listens on a phone line: turn detection, noise reduction,
// transcription, speed, output length, tool choice; and tracing. The same keys sit under `openai:`
// (every agent) and directly under an agent (while it has the call). Ranges are the Realtime
// API's own (its API reference), so `check` fails where the API would refuse the session.update.
import { z } from 'zod';

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

const SERVER_VAD_ONLY = ['threshold', 'prefix_padding_ms', 'silence_duration_ms', 'idle_timeout_ms'] as const;

const wholeMs = (what: string) =>
  z.number().int({ error: 'must be a whole number of milliseconds' }).min(0, { error: 'must be 0 or more' }).optional().describe(what);

export const turnDetectionSchema = z
  .strictObject({
    type: z
      .enum(['server_vad', 'semantic_vad'])
      .describe('server_vad: a turn ends after silence; semantic_vad: a model judges whether the caller has finished.'),
    threshold: z
      .number()
      .min(0, { error: 'must be between 0 and 1' })
      .max(1, { error: 'must be between 0 and 1' })
      .optional()
      .describe('server_vad: how loud speech must be (0 to 1, API default 0.5); raise it when line noise triggers the agent.'),
    prefix_padding_ms: wholeMs('server_vad: audio kept from before speech was detected (API default 300).'),
    silence_duration_ms: wholeMs('server_vad: silence that ends the caller\'s turn (API default 500); raise it when callers get cut off.'),
    idle_timeout_ms: z
      .number()
      .int({ error: 'must be a whole number of milliseconds' })
      .min(5000, { error: 'must be between 5000 and 30000' })
      .max(30000, { error: 'must be between 5000 and 30000' })
      .optional()
      .describe('server_vad: after the agent spoke and the caller stays silent this long, the model speaks again (5000 to 30000).'),
    eagerness: z
      .enum(['low', 'medium', 'high', 'auto'])
      .optional()
      .describe('semantic_vad: low waits longer for the caller to go on (up to 8 s), high answers sooner (2 s); auto is medium.'),
    create_response: z.boolean().optional().describe('Answer when the caller\'s turn ends (API default true).'),
    interrupt_response: z
      .boolean()
      .optional()
      .describe('The API cancels the agent\'s answer when the caller speaks (default true); with false the Agents SDK still does.'),
  })
  // Runs even when a sibling is invalid, so each misplaced key is reported with the rest.
  .superRefine(
    (turn, ctx) => {
      const semantic = turn.type === 'semantic_vad';
      for (const key of SERVER_VAD_ONLY) {
        if (semantic && turn[key] !== undefined) ctx.addIssue({ code: 'custom', path: [key], message: 'only for type: server_vad; remove it or change the type' });
      }
      if (turn.type === 'server_vad' && turn.eagerness !== undefined) {
        ctx.addIssue({ code: 'custom', path: ['eagerness'], message: 'only for type: semantic_vad; remove it or change the type' });
      }
    },
    { when: ({ value }) => isRecord(value) },
  )
  .describe('When the caller has finished speaking; replaces the global setting as a whole when set on an agent.');

const language = z
  .string()
  .regex(/^[a-z]{2}$/, { error: 'must be an ISO-639-1 language code like en or es' })
  .optional()
  .describe("The caller's language (ISO-639-1, e.g. en); improves accuracy and latency.");

/** An agent's transcription: what it leaves out comes from `openai.transcription`. */
export const agentTranscriptionSchema = z
  .strictObject({
    model: z.string().min(1, { error: 'must not be empty' }).optional().describe('Transcription model, e.g. gpt-transcribe; default: openai.transcription.model.'),
    language,
    prompt: z.string().optional().describe('Words to expect (names, products), to guide the transcription.'),
  })
  .describe("Transcription of the caller's speech while this agent has the call; unset keys come from openai.transcription.");

const TOKENS = 'must be a whole number from 1 to 4096, or inf';
const TEMPERATURE_GONE =
  'the Realtime API takes no temperature: only its beta interface did (0.6 to 1.2), and switchboard speaks the current one; remove it';

/** Keys that mean the same under `openai:` and under an agent. */
export const voiceSettingsShape = {
  turn_detection: turnDetectionSchema.optional(),
  noise_reduction: z
    .enum(['near_field', 'far_field', 'off'])
    .optional()
    .describe('Filters the caller\'s audio before turn detection: near_field for handsets and headsets, far_field for speakerphones; default off.'),
  speed: z
    .number()
    .min(0.25, { error: 'must be between 0.25 and 1.5' })
    .max(1.5, { error: 'must be between 0.25 and 1.5' })
    .optional()
    .describe('How fast the agent speaks, 0.25 to 1.5 (default 1); changes take effect between turns.'),
  max_output_tokens: z
    .union([z.number().int({ error: TOKENS }).min(1, { error: TOKENS }).max(4096, { error: TOKENS }), z.literal('inf')], { error: TOKENS })
    .optional()
    .describe('Longest answer, in tokens (tool calls included): 1 to 4096, or inf (the API default).'),
  tool_choice: z
    .enum(['auto', 'none', 'required'])
    .optional()
    .describe('auto (API default): the model decides; none: no tools; required: a tool call in every answer.'),
  temperature: z
    .unknown()
    .refine((value) => value === undefined, { error: TEMPERATURE_GONE })
    .optional()
    .describe('Not supported by the current Realtime API; listed so that `check` can say so.'),
};

export const agentVoiceShape = { ...voiceSettingsShape, transcription: agentTranscriptionSchema.optional() };

export const tracingSchema = z
  .strictObject({
    enabled: z.boolean().default(false).describe("Send each call's trace to OpenAI's Traces dashboard (off by default: traces hold what callers said)."),
    workflow_name: z.string().min(1, { error: 'must not be empty' }).default('switchboard').describe('The workflow name traces are filed under.'),
  })
  .describe("OpenAI tracing of calls; a call's trace is grouped under its CallSid.");

export type TurnDetectionConfig = z.output<typeof turnDetectionSchema>;
export type AgentTranscriptionConfig = z.output<typeof agentTranscriptionSchema>;
export type TracingConfig = z.output<typeof tracingSchema>;
