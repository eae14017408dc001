// What was said and done on a call: kept while it runs, logged (and later stored) when it ends.
import type { RealtimeItem } from '@openai/agents/realtime';
import type { TransferRequest } from '../agents/line.ts';
import type { Logger } from '../log/logger.ts';
import type { Redactor } from '../privacy/redact.ts';

export interface ToolUse {
  name: string;
  arguments: string;
  /** What the model was given: the answer, or the words of the error. */
  result?: string;
  /** Set when the run failed (the service, the MCP server, a bad argument): the same words. */
  error?: string;
  /** From the SDK starting the tool to its result (absent for hosted MCP calls, run by OpenAI). */
  durationMs?: number;
}

export interface GuardrailTrip {
  /** The guardrail's name; never the words that tripped it. */
  name: string;
  /** The agent whose answer was cut off. */
  agent: string;
  /** ms since the call's record started. */
  atMs: number;
  /** What the caller heard instead (the guardrail's `message`, from the config). */
  message: string;
}

export interface Approval {
  tool: string;
  decision: 'approved' | 'rejected';
}

export interface TranscriptLine {
  role: 'caller' | 'agent';
  text: string;
  /** Which agent said it (agent lines). */
  agent?: string;
}

export interface Handoff {
  from: string;
  to: string;
  /** ms since the call's record started. */
  atMs: number;
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
  handoffs: Handoff[];
  /** Output guardrails that cut the agent off, in order. */
  guardrails: GuardrailTrip[];
  /** Agent message items by id -> the agent that had the call when it was added. */
  spokenBy: Map<string, string>;
  /** Where the agent transferred the caller. */
  transfer?: TransferRequest;
  /** Frames refused by the guard, by reason: evidence of a broken or hostile peer. */
  rejectedFrames: Record<string, number>;
  /** Tool runs and approvals past the record's caps (see tool-runs.ts): counted, not kept. */
  toolsNotKept?: number;
  approvalsNotKept?: number;
}

export function newRecord(startedAt: number): CallRecord {
  return { startedAt, tools: [], approvals: [], dtmf: [], transcript: [], handoffs: [], guardrails: [], spokenBy: new Map(), rejectedFrames: {} };
}

/**
 * The spoken turns of a session's history, in order. A caller's text turn is keypad input (see
 * keypad.ts): its digits may be a PIN, so it stays out of the transcript (the record keeps
 * `dtmf` apart, and logs neither).
 */
export function transcriptOf(history: readonly RealtimeItem[], spokenBy: ReadonlyMap<string, string> = new Map()): TranscriptLine[] {
  const lines: TranscriptLine[] = [];
  for (const item of history) {
    if (item.type !== 'message' || item.role === 'system') continue;
    const text = item.content
      .map((part) => ('transcript' in part ? part.transcript : 'text' in part && item.role !== 'user' ? part.text : null) ?? '')
      .join(' ')
      .trim();
    if (!text) continue;
    const agent = item.role === 'user' ? undefined : spokenBy.get(item.itemId);
    lines.push(agent === undefined ? { role: item.role === 'user' ? 'caller' : 'agent', text } : { role: 'agent', text, agent });
  }
  return lines;
}

export type EndReason =
  | 'caller_hangup' // Twilio sent `stop`
  | 'stream_closed' // the media stream socket closed without `stop`
  | 'bad_token' // `start` lacked a valid single-use stream token
  | 'no_start' // the socket sent no `start` within START_TIMEOUT_MS
  | 'unknown_agent' // `start` named an agent this server does not have
  | 'frame_too_large' // a frame over MAX_FRAME_BYTES
  | 'upstream_failed' // the Realtime session could not be opened
  | 'upstream_timeout' // ... not within limits.connect_timeout_seconds
  | 'upstream_closed' // the Realtime session went away mid-call
  | 'max_duration' // limits.max_call_seconds
  | 'idle' // limits.idle_seconds without audio either way
  | 'agent_hangup' // the agent's hang_up tool, once its goodbye played
  | 'transferred' // the agent's transfer tool, once its announcement played
  | 'shutdown'; // the server is stopping

export interface LogEndedOptions {
  /** privacy.redact of the call's config: what the log may not carry of what was said. */
  redact: Redactor;
  /** logging.content: the conversation at info; otherwise it is logged at debug only. */
  content: boolean;
}

/**
 * What was done on an ended call, in the log beside the store's copy. What was said (transcript,
 * tool arguments and results) stays in the store: logs are shipped and kept for months. It is
 * logged only at debug, or at info with logging.content, and always redacted (the logger masks
 * numbers).
 */
export function logEnded(record: CallRecord, log: Logger, { redact, content }: LogEndedOptions): void {
  const said = content ? 'info' : 'debug';
  if (log.enabled(said)) {
    for (const line of record.transcript) log.log(said, 'transcript', { role: line.role, agent: line.agent, text: redact(line.text) });
  }
  for (const handoff of record.handoffs) log.info('handed off', { from: handoff.from, to: handoff.to, atSeconds: Math.round(handoff.atMs / 100) / 10 });
  for (const tool of record.tools) {
    const ran = { tool: tool.name, durationMs: tool.durationMs, failed: tool.error === undefined ? undefined : true };
    if (!log.enabled(said)) log.info('tool used', ran);
    else log.log(said, 'tool used', { ...ran, arguments: redact(tool.arguments), result: tool.result === undefined ? undefined : redact(tool.result) });
  }
  log.info('call ended', {
    reason: record.endReason,
    seconds: Math.round(((record.endedAt ?? record.startedAt) - record.startedAt) / 100) / 10,
    turns: record.transcript.length,
    tools: record.tools.length,
    toolsNotKept: record.toolsNotKept,
    rejectedFrames: Object.values(record.rejectedFrames).reduce((a, b) => a + b, 0) || undefined,
  });
}
