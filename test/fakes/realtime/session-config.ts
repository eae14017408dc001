// The session object as the real API holds it: its defaults, and how `session.update` changes it.
import { isPlainObject, randomId } from './protocol.ts';

/** A new session as the real API reports it in `session.created`. */
export function initialSession(model: string): Record<string, any> {
  return {
    type: 'realtime',
    object: 'realtime.session',
    id: randomId('sess_'),
    model,
    output_modalities: ['audio'],
    instructions: '',
    tools: [],
    tool_choice: 'auto',
    max_output_tokens: 'inf',
    tracing: null,
    prompt: null,
    expires_at: Math.floor(Date.now() / 1000) + 3600,
    audio: {
      input: {
        format: { type: 'audio/pcm', rate: 24000 },
        transcription: null,
        noise_reduction: null,
        turn_detection: normalizeTurnDetection({ type: 'server_vad' }),
      },
      output: { format: { type: 'audio/pcm', rate: 24000 }, voice: 'marin', speed: 1 },
    },
    include: null,
  };
}

/** Keys whose value the real API replaces as a whole on `session.update` (never merged). */
const REPLACED_KEYS = new Set(['format', 'tools', 'tracing', 'prompt', 'transcription', 'noise_reduction', 'include']);

export function mergeSession(base: Record<string, any>, patch: Record<string, any>): Record<string, any> {
  const out: Record<string, any> = { ...base };
  for (const [key, value] of Object.entries(patch)) {
    if (value === undefined) continue;
    if (key === 'turn_detection') {
      out[key] = normalizeTurnDetection(value);
    } else if (!REPLACED_KEYS.has(key) && isPlainObject(value) && isPlainObject(out[key])) {
      out[key] = mergeSession(out[key], value);
    } else {
      out[key] = structuredClone(value);
    }
  }
  return out;
}

/** The real API fills a turn-detection config with its defaults. */
function normalizeTurnDetection(value: unknown): unknown {
  if (!isPlainObject(value)) return value ?? null;
  if (value.type === 'semantic_vad') {
    return { type: 'semantic_vad', eagerness: 'auto', create_response: true, interrupt_response: true, ...value };
  }
  return {
    type: 'server_vad',
    threshold: 0.5,
    prefix_padding_ms: 300,
    silence_duration_ms: 200,
    idle_timeout_ms: null,
    create_response: true,
    interrupt_response: true,
    ...value,
  };
}
