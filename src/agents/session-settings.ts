// What a call's Realtime session is told besides each agent's instructions, voice and tools.
// The SDK keeps one session config per call and re-sends it, merged, on every handoff; what
// differs per agent (reasoning effort, turn detection, noise reduction, transcription, speed,
// output length, tool choice) is added by the transport for whichever agent the session is being
// configured for (Line.agentId), so it never leaks from one agent to the next.
import type { RealtimeSessionConfig } from '@openai/agents/realtime';
import { API_DEFAULT_REASONING_EFFORT, type AgentConfig, type Config } from '../config/index.ts';

export type SessionConfig = Partial<RealtimeSessionConfig>;

type Voice = Pick<AgentConfig, 'turn_detection' | 'noise_reduction' | 'speed' | 'max_output_tokens' | 'tool_choice'>;
/** The parts of a config this file reads and merges (the SDK's type is a union of two shapes). */
type Loose = { audio?: { input?: object | null; output?: object | null }; providerData?: Record<string, unknown> };

const PCMU = { type: 'audio/pcmu' } as const;
// What the API assumes when a session.update leaves these out; said explicitly where another
// agent set them, or the previous agent's value would stay.
const API_DEFAULT_TOOL_CHOICE = 'auto';
const API_DEFAULT_MAX_OUTPUT_TOKENS = 'inf';

/** `audio.input` keys of the SDK's config (camelCase; turn detection may stay snake_case). */
function inputSettings({ turn_detection, noise_reduction }: Voice) {
  return {
    ...(turn_detection ? { turnDetection: { ...turn_detection } } : {}),
    ...(noise_reduction ? { noiseReduction: noise_reduction === 'off' ? null : { type: noise_reduction } } : {}),
  };
}

const outputSettings = ({ speed }: Voice) => (speed === undefined ? {} : { speed });

/** max_output_tokens has no key in the SDK's config; providerData is spread into the session.update. */
function topLevelSettings(toolChoice: Voice['tool_choice'], maxOutputTokens: Voice['max_output_tokens']) {
  return {
    ...(toolChoice ? { toolChoice } : {}),
    ...(maxOutputTokens === undefined ? {} : { providerData: { max_output_tokens: maxOutputTokens } }),
  };
}

/**
 * Session-wide. Twilio speaks 8 kHz mu-law both ways; said explicitly because the SDK's session
 * starts from 24 kHz PCM defaults and its Twilio transport only fills in formats that are
 * missing. Transcription is named because the SDK's default model is on the retirement list.
 */
export function sessionConfig(config: Config): SessionConfig {
  const { openai } = config;
  const { model, language, prompt } = openai.transcription;
  return {
    audio: {
      input: { format: PCMU, transcription: { model, language, prompt }, ...inputSettings(openai) },
      output: { format: PCMU, ...outputSettings(openai) },
    },
    ...topLevelSettings(openai.tool_choice, openai.max_output_tokens),
  };
}

/**
 * Per agent, resolved against `openai:`. The SDK re-sends every audio setting on each update (its
 * own default where the config has none), so an agent without an override gets the global value.
 * Reasoning, tool choice and output length are sent only when set: once any agent sets one, the
 * others get `openai:`'s or the API's default explicitly.
 */
export function agentSessionSettings(config: Config): Map<string, SessionConfig> {
  const { openai } = config;
  const agents = Object.entries(config.agents);
  const anyAgent = (key: 'reasoning' | 'tool_choice' | 'max_output_tokens') => agents.some(([, agent]) => agent[key] !== undefined);
  const anyEffort = openai.reasoning !== undefined || anyAgent('reasoning');
  const settings = new Map<string, SessionConfig>();
  for (const [id, agent] of agents) {
    const effort = agent.reasoning?.effort ?? openai.reasoning?.effort ?? API_DEFAULT_REASONING_EFFORT;
    const transcription = agent.transcription && {
      model: agent.transcription.model ?? openai.transcription.model,
      language: agent.transcription.language ?? openai.transcription.language,
      prompt: agent.transcription.prompt ?? openai.transcription.prompt,
    };
    const input = { ...inputSettings(agent), ...(transcription ? { transcription } : {}) };
    const output = outputSettings(agent);
    const toolChoice = agent.tool_choice ?? openai.tool_choice ?? (anyAgent('tool_choice') ? API_DEFAULT_TOOL_CHOICE : undefined);
    const maxTokens = agent.max_output_tokens ?? openai.max_output_tokens ?? (anyAgent('max_output_tokens') ? API_DEFAULT_MAX_OUTPUT_TOKENS : undefined);
    const hasInput = Object.keys(input).length > 0;
    const hasOutput = Object.keys(output).length > 0;
    settings.set(id, {
      ...(anyEffort ? { reasoning: { effort } } : {}),
      ...(hasInput || hasOutput ? { audio: { ...(hasInput ? { input } : {}), ...(hasOutput ? { output } : {}) } } : {}),
      ...topLevelSettings(toolChoice, maxTokens),
    });
  }
  return settings;
}

/**
 * The active agent's settings over the SDK's config. `audio.input`, `audio.output` and
 * `providerData` are merged key by key, so an agent's speed or turn detection never drops the
 * call's mu-law formats, its voice or its transcription, and its output length never drops the
 * `tools: []` by which the SDK revokes the previous agent's tools; every other key is replaced.
 */
export function withAgentSettings(config: SessionConfig, agent: SessionConfig | undefined): SessionConfig {
  if (agent === undefined) return config;
  const base = config as Loose;
  const over = agent as Loose;
  const merged: Loose = { ...base, ...over };
  if (over.audio) {
    const input = base.audio?.input || over.audio.input ? { input: { ...base.audio?.input, ...over.audio.input } } : {};
    const output = base.audio?.output || over.audio.output ? { output: { ...base.audio?.output, ...over.audio.output } } : {};
    merged.audio = { ...base.audio, ...over.audio, ...input, ...output };
  }
  if (over.providerData) merged.providerData = { ...base.providerData, ...over.providerData };
  return merged as SessionConfig;
}
