// What the console's JSON and event-stream endpoints send, shared by the server and the page (no
// Bun or DOM types here: both type-checks read this file). Numbers are masked by the server; the
// page never receives a caller's full number or a key pressed unless the operator stored them.
import type { Turn } from '../../call/turns.ts';
import type { CallTimings } from '../../store/rows.ts';

export type { CallTimings, Turn };

/** GET /console/api/session: who is logged in can see this. */
export interface SessionInfo {
  agents: string[];
  /** End reasons to search by, in the order call/end-reason.ts lists them. */
  endReasons: string[];
  /** false: storage.url is off, so there is no history, only live calls. */
  history: boolean;
}

/** greeting: the caller hears <Say>; connected: the stream is up; draining: the server is shutting down around it. */
export type LiveState = 'greeting' | 'connected' | 'draining';

export interface LiveCall {
  callSid: string;
  state: LiveState;
  /** The agent that has the call now. */
  agent: string | null;
  /** The caller (inbound) or the person called (outbound), last four digits only. */
  number: string | null;
  direction: string | null;
  /** ms since the epoch. */
  since: number;
  /** Finished turns so far. */
  turns: number;
}

/** A turn (call/turns.ts) as the console draws it, with its time. */
export interface TimedTurn extends Turn {
  /** Live: when switchboard had the finished turn (within a second of it ending); stored: when it was recorded. ms since the epoch. */
  at: number;
}

/** SSE `calls`, once a second. */
export interface LiveSnapshot {
  at: number;
  draining: boolean;
  calls: LiveCall[];
}

/** SSE `turns`: a live call's finished turns from index `from` on. */
export interface LiveTurns {
  callSid: string;
  from: number;
  turns: TimedTurn[];
}

export interface CallSummary {
  callSid: string;
  startedAt: number;
  endedAt: number | null;
  direction: string | null;
  /** The other party, masked (see LiveCall.number). */
  number: string | null;
  /** Our side of the call: the number called (inbound) or called from (outbound). */
  line: string | null;
  agents: string[];
  endReason: string | null;
  tools: string[];
  live: boolean;
}

/** GET /console/api/calls: a page, newest first; `next` asks for the one after it. */
export interface CallList {
  calls: CallSummary[];
  next: { before: number; beforeSid: string } | null;
}

export type CallEventView = { at: number } & (
  | ({ kind: 'turn' } & Turn)
  | { kind: 'tool'; name: string; arguments: string; result?: string; error?: string; durationMs?: number }
  | { kind: 'handoff'; from: string; to: string }
  | { kind: 'dtmf'; keys?: string; count: number }
  | { kind: 'transfer'; to: string }
  /** An output guardrail cut the agent off; `message` is what the caller heard instead (absent in older records). */
  | { kind: 'guardrail'; name: string; agent?: string; message?: string }
  | { kind: 'other'; what: string }
);

/** GET /console/api/calls/:sid. `timings` is absent until the call has ended (and for older calls). */
export interface CallDetail {
  call: CallSummary;
  events: CallEventView[];
  timings: CallTimings | null;
}

export interface Percentiles {
  n: number;
  p50: number;
  p90: number;
  p99: number;
}

/** GET /console/api/stats: the last 24 hours, by hour (oldest first). */
export interface Stats {
  since: number;
  hours: { start: number; byReason: Record<string, number> }[];
  reasons: { reason: string; calls: number }[];
  /** Stream start to the first agent audio, over the calls that had one. */
  firstAudio: Percentiles | null;
  /** The caller's turn ending to the agent's audio, over every answered turn. */
  reply: Percentiles | null;
}
