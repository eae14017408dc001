// A stored call and its events, as both databases return them (PostgreSQL's BIGINT may come
// back as a string: numbers are read with Number()).

export type EventKind = 'turn' | 'tool' | 'handoff' | 'dtmf' | 'transfer' | 'guardrail' | 'error';

export interface CallRow {
  callSid: string;
  streamSid?: string;
  direction?: string;
  /** Stored whole; masked wherever it is shown in a log. */
  from?: string;
  to?: string;
  /** The agent that answered. */
  agent?: string;
  /** Every agent that had the call, in order. */
  agents?: string[];
  startedAt: number;
  answeredAt?: number;
  endedAt?: number;
  endReason?: string;
  /** Still in progress (GET /calls). */
  live?: boolean;
  /** Measured on the call (absent for calls recorded before they were, or still live). */
  timings?: CallTimings;
}

/**
 * What a caller waited for, measured on the session's events (once per turn, never per frame).
 * A value is absent when it did not happen (the agent never spoke, the session never connected).
 */
export interface CallTimings {
  /** From the stream socket opening to the first agent audio reaching switchboard. */
  firstAudioMs?: number;
  /** The Realtime handshake until the session was configured. */
  connectMs?: number;
  /** The session was opened at the webhook, while the caller heard <Say> (pre-warm). */
  prewarmed: boolean;
  /** How long the started stream waited for its session (0: it was ready). */
  waitedMs?: number;
  /** Each caller turn's end (the API's speech_stopped) to the agent's next audio, in order; the longest is the longest silence. */
  replyMs: number[];
}

export interface CallEvent {
  seq: number;
  at: number;
  kind: EventKind;
  data: Record<string, unknown>;
}

const num = (v: unknown): number | undefined => (v === null || v === undefined ? undefined : Number(v));
const str = (v: unknown): string | undefined => (v === null || v === undefined ? undefined : String(v));

export function toCall(row: Record<string, unknown>): CallRow {
  return {
    callSid: String(row.call_sid),
    streamSid: str(row.stream_sid),
    direction: str(row.direction),
    from: str(row.from_number),
    to: str(row.to_number),
    agent: str(row.agent),
    agents: str(row.agents)?.split(',').filter(Boolean),
    startedAt: Number(row.started_at),
    answeredAt: num(row.answered_at),
    endedAt: num(row.ended_at),
    endReason: str(row.end_reason),
    timings: row.timings === null || row.timings === undefined ? undefined : (JSON.parse(String(row.timings)) as CallTimings),
  };
}

export function toEvent(row: Record<string, unknown>): CallEvent {
  return { seq: Number(row.seq), at: Number(row.at), kind: String(row.kind) as EventKind, data: JSON.parse(String(row.data)) };
}
