// One turn of a conversation (who said what) from one item of a Realtime session's history. Three
// readers take turns from the same history: the record at the call's end (record.ts: every turn
// that has words), the store's recorder (store/recorder.ts) and the console's live view
// (console/live-calls.ts), the last two once a turn is done, so that each is written or shown once,
// whole. Each keeps its own rule for *when* a turn counts; *what* a turn is is decided here, once.
// No redaction here: privacy.redact is applied by each reader where what was said leaves the call.
// Only types from the SDK: the console page's type check reads `Turn` (console/shared/types.ts).
import type { RealtimeItem } from '@openai/agents/realtime';

export interface Turn {
  role: 'caller' | 'agent';
  /** Which agent said it (agent turns, when the call knows: `CallRecord.spokenBy`). */
  agent?: string;
  text: string;
}

/** Still being said, or a caller's words still being transcribed. */
export const inProgress = (item: RealtimeItem): boolean => 'status' in item && item.status === 'in_progress';

/**
 * The turn an item of the history holds, or undefined: not a message (a tool call), a system
 * message, a caller's typed turn, or no words (yet). A caller's typed turn is keypad input (see
 * keypad.ts): its digits may be a PIN, so it is never a turn (the record keeps `dtmf` apart).
 * Its text is the transcripts of its parts (and the agent's text parts), joined.
 */
export function turnOf(item: RealtimeItem, spokenBy: ReadonlyMap<string, string>): Turn | undefined {
  if (item.type !== 'message' || item.role === 'system') return undefined;
  if (item.role === 'user' && item.content.every((part) => part.type === 'input_text')) return undefined;
  const text = item.content
    .map((part) => ('transcript' in part ? part.transcript : 'text' in part && item.role === 'assistant' ? part.text : null) ?? '')
    .join(' ')
    .trim();
  if (text === '') return undefined;
  if (item.role === 'user') return { role: 'caller', text };
  const agent = spokenBy.get(item.itemId);
  return agent === undefined ? { role: 'agent', text } : { role: 'agent', agent, text };
}
