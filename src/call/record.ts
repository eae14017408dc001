// What was said and done on a call: kept while it runs, logged (and later stored) when it ends.
import type { RealtimeItem } from '@openai/agents/realtime';

export interface ToolUse {
  name: string;
  arguments: string;
  result?: string;
}

export interface Approval {
  tool: string;
  decision: 'approved' | 'rejected';
}

export interface TranscriptLine {
  role: 'caller' | 'agent';
  text: string;
}

export interface CallRecord {
  callSid?: string;
  streamSid?: string;
  agent?: string;
  startedAt: number;
  endedAt?: number;
  endReason?: string;
  tools: ToolUse[];
  approvals: Approval[];
  dtmf: string[];
  transcript: TranscriptLine[];
  /** Frames refused by the guard, by reason: evidence of a broken or hostile peer. */
  rejectedFrames: Record<string, number>;
}

export function newRecord(startedAt: number): CallRecord {
  return { startedAt, tools: [], approvals: [], dtmf: [], transcript: [], rejectedFrames: {} };
}

/** The spoken and typed turns of a session's history, in order. */
export function transcriptOf(history: readonly RealtimeItem[]): TranscriptLine[] {
  const lines: TranscriptLine[] = [];
  for (const item of history) {
    if (item.type !== 'message' || item.role === 'system') continue;
    const text = item.content
      .map((part) => ('transcript' in part ? part.transcript : 'text' in part ? part.text : null) ?? '')
      .join(' ')
      .trim();
    if (text) lines.push({ role: item.role === 'user' ? 'caller' : 'agent', text });
  }
  return lines;
}
