// Calls as the console shows them: the other party's number masked (live and stored calls alike),
// events reduced to what the page draws. Key presses appear only as stored: a count, or the keys
// with storage.keep_dtmf. The admin API (server/call-history.ts) shows numbers whole: its token's
// holder is the operator; the console is a page in a browser, on screens others may see.
import { maskNumber } from '../log/logger.ts';
import type { CallEvent, CallRow } from '../store/rows.ts';
import type { CallEventView, CallSummary } from './shared/types.ts';

/** The other party of a call (the caller, or whom an outbound call rang), last four digits only. */
export function otherParty(direction: string | undefined, from: string | undefined, to: string | undefined): string | null {
  return maskNumber(direction?.startsWith('outbound') ? to : from) ?? null;
}

export function summary(row: CallRow, tools: string[], live: boolean): CallSummary {
  const outbound = row.direction?.startsWith('outbound') ?? false;
  return {
    callSid: row.callSid,
    startedAt: row.startedAt,
    endedAt: row.endedAt ?? null,
    direction: row.direction ?? null,
    number: otherParty(row.direction, row.from, row.to),
    line: (outbound ? row.from : row.to) ?? null,
    agents: row.agents ?? (row.agent ? [row.agent] : []),
    endReason: row.endReason ?? null,
    tools,
    live,
  };
}

const text = (v: unknown) => (v === undefined || v === null ? undefined : String(v));

export function eventView({ at, kind, data }: CallEvent): CallEventView {
  switch (kind) {
    case 'turn': {
      const agent = text(data.agent);
      const role = data.role === 'caller' ? 'caller' : 'agent';
      return agent === undefined ? { at, kind, role, text: String(data.text ?? '') } : { at, kind, role, agent, text: String(data.text ?? '') };
    }
    case 'tool':
      return {
        at,
        kind,
        name: String(data.name ?? ''),
        arguments: String(data.arguments ?? ''),
        result: text(data.result),
        error: text(data.error),
        durationMs: typeof data.durationMs === 'number' ? data.durationMs : undefined,
      };
    case 'handoff':
      return { at, kind, from: String(data.from ?? ''), to: String(data.to ?? '') };
    case 'dtmf': {
      const keys = text(data.keys);
      return keys === undefined ? { at, kind, count: Number(data.count ?? 0) } : { at, kind, keys, count: keys.length };
    }
    case 'transfer':
      return { at, kind, to: String(data.to ?? '') };
    case 'guardrail':
      return { at, kind, name: String(data.name ?? ''), agent: text(data.agent), message: text(data.message) };
    default:
      // Never the data of a kind this console does not know: it could hold anything.
      return { at, kind: 'other', what: kind };
  }
}
