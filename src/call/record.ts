// What was said and done on a call: kept while it runs, logged (and later stored) when it ends.
import type { RealtimeItem } from '@openai/agents/realtime';
import type { TransferRequest } from '../agents/line.ts';
import type { Logger } from '../log/logger.ts';
import type { Redactor } from '../privacy/redact.ts';
import { turnOf, type Turn } from './turns.ts';
import type { EndReason } from './end-reason.ts';

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
  endReason?: EndReason;
  tools: ToolUse[];
  approvals: Approval[];
  dtmf: string[];
  /** The spoken turns, taken from the session's history as the call ends (transcriptOf). */
  transcript: Turn[];
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
 * The spoken turns of a session's history, in order: the call is over, so every turn with words
 * counts, finished or not. What a turn is (keypad input is not one) is turns.ts's rule.
 */
export function transcriptOf(history: readonly RealtimeItem[], spokenBy: ReadonlyMap<string, string> = new Map()): Turn[] {
  return history.flatMap((item) => turnOf(item, spokenBy) ?? []);
}

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
