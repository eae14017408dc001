// What a call's Realtime session is told besides each agent's instructions, voice and tools.
// The SDK keeps one session config per call and re-sends it, merged, on every handoff; what
// differs per agent (the reasoning effort) is added by the transport for whichever agent the
// session is being configured for (Line.agentId), so it never leaks from one agent to the next.
import type { RealtimeSessionConfig } from '@openai/agents/realtime';
import { API_DEFAULT_REASONING_EFFORT, type Config } from '../config/index.ts';

export type SessionConfig = Partial<RealtimeSessionConfig>;

/**
 * Session-wide. Twilio speaks 8 kHz mu-law both ways; said explicitly because the SDK's session
 * starts from 24 kHz PCM defaults and its Twilio transport only fills in formats that are
 * missing. Transcription is named because the SDK's default model is on the retirement list.
 */
export function sessionConfig(config: Config): SessionConfig {
  const { model, language, prompt } = config.openai.transcription;
  return {
    audio: {
      input: { format: { type: 'audio/pcmu' }, transcription: { model, language, prompt } },
      output: { format: { type: 'audio/pcmu' } },
    },
  };
}

/**
 * Per agent, resolved against `openai:`. Once any agent sets an effort, the others get the API's
 * default explicitly: a session.update that leaves a key out keeps the previous agent's value.
 */
export function agentSessionSettings(config: Config): Map<string, SessionConfig> {
  const agents = Object.entries(config.agents);
  const anyEffort = config.openai.reasoning !== undefined || agents.some(([, agent]) => agent.reasoning !== undefined);
  const settings = new Map<string, SessionConfig>();
  for (const [id, agent] of agents) {
    const effort = agent.reasoning?.effort ?? config.openai.reasoning?.effort ?? API_DEFAULT_REASONING_EFFORT;
    settings.set(id, anyEffort ? { reasoning: { effort } } : {});
  }
  return settings;
}
