// What the post-call webhook tells the owner's system about one call, built from its record once
// it has ended. The receiver is the owner's, so the numbers are in it (they never reach a log);
// keypad digits are not (PINs, card numbers: the record keeps them apart for that reason), and
// what was said is redacted as the store keeps it (privacy.redact of the call's config).
import type { CallFacts } from '../agents/line.ts';
import type { CallRecord } from '../call/record.ts';
import type { Redactor } from '../privacy/redact.ts';

export interface CallSummary {
  event: 'call.ended';
  call_sid: string;
  stream_sid: string | null;
  /** The caller's number (inbound) or yours (outbound): E.164, or null if unknown. */
  from: string | null;
  to: string | null;
  /** Twilio's Direction: inbound, outbound-api, … */
  direction: string | null;
  /** An outbound call's parameters ({{call.param.NAME}}). */
  parameters: Record<string, string>;
  /** The agent that answered. */
  agent: string | null;
  /** Every agent that had the call, in the order they first had it. */
  agents: string[];
  handoffs: { from: string; to: string; at_seconds: number }[];
  started_at: string;
  ended_at: string;
  duration_seconds: number;
  end_reason: string;
  /** Where the agent transferred the caller (end reason `transferred`). */
  transfer: { to: string; caller_id: string | null } | null;
  transcript: { role: 'caller' | 'agent'; agent: string | null; text: string }[];
  tool_calls: { name: string; arguments: string; result: string | null }[];
  /** Output guardrails that cut the agent off: which, whose answer, when, and what the caller heard instead. */
  guardrails: { name: string; agent: string; at_seconds: number; message: string }[];
}

const seconds = (ms: number) => Math.round(ms / 100) / 10;
const orNull = (text: string | undefined) => (text === undefined || text === '' ? null : text);

/**
 * `record` must be of an ended call with a CallSid; `facts` are its session's (absent if it never
 * had one); `redact` is the call's own privacy.redact.
 */
export function callSummary(record: CallRecord, facts: CallFacts | undefined, redact: Redactor): CallSummary {
  const endedAt = record.endedAt ?? record.startedAt;
  const agents = [...new Set([record.agent, ...record.handoffs.map((h) => h.to)].filter((a): a is string => a !== undefined))];
  return {
    event: 'call.ended',
    call_sid: record.callSid ?? '',
    stream_sid: orNull(record.streamSid),
    from: orNull(facts?.from),
    to: orNull(facts?.to),
    direction: orNull(facts?.direction),
    parameters: { ...facts?.params },
    agent: record.agent ?? null,
    agents,
    handoffs: record.handoffs.map((h) => ({ from: h.from, to: h.to, at_seconds: seconds(h.atMs) })),
    started_at: new Date(record.startedAt).toISOString(),
    ended_at: new Date(endedAt).toISOString(),
    duration_seconds: seconds(endedAt - record.startedAt),
    end_reason: record.endReason ?? 'unknown',
    transfer: record.transfer ? { to: record.transfer.to, caller_id: record.transfer.callerId ?? null } : null,
    transcript: record.transcript.map((line) => ({ role: line.role, agent: line.agent ?? null, text: redact(line.text) })),
    tool_calls: record.tools.map((tool) => ({ name: tool.name, arguments: redact(tool.arguments), result: tool.result === undefined ? null : redact(tool.result) })),
    guardrails: record.guardrails.map((trip) => ({ name: trip.name, agent: trip.agent, at_seconds: seconds(trip.atMs), message: trip.message })),
  };
}
