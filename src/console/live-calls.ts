// The calls in progress as the console shows them, read from what the server already keeps (the
// live calls, their records and their sessions' history), once a second: never on the frame path.
// Turns are redacted as the store keeps them (privacy.redact of the call's own config).
import type { RealtimeItem } from '@openai/agents/realtime';
import type { Call } from '../call/call.ts';
import type { CallFacts } from '../agents/line.ts';
import { maskNumber } from '../log/logger.ts';
import type { Redactor } from '../privacy/redact.ts';
import type { ServerContext } from '../server/context.ts';
import type { LiveCall, Turn } from './shared/types.ts';

/** The other party of a call (the caller, or whom an outbound call rang), last four digits only. */
export function otherParty(direction: string | undefined, from: string | undefined, to: string | undefined): string | null {
  return maskNumber(direction?.startsWith('outbound') ? to : from) ?? null;
}

const partyOf = (facts: CallFacts | undefined) => otherParty(facts?.direction, facts?.from, facts?.to);

interface Progress {
  seen: Set<string>;
  turns: Turn[];
}

/**
 * Finished turns of each live call, as the call record will store them (see store/recorder.ts):
 * a caller's once transcribed, the agent's once complete; a caller's typed turn is keypad input
 * and stays out. Stamped with the time they were first seen.
 */
export class LiveTurns {
  readonly #progress = new WeakMap<Call, Progress>();

  of(call: Call, now = Date.now()): Turn[] {
    let progress = this.#progress.get(call);
    if (progress === undefined) {
      progress = { seen: new Set(), turns: [] };
      this.#progress.set(call, progress);
    }
    for (const item of call.upstream?.session.history ?? []) {
      const turn = finishedTurn(item, progress.seen, call.record.spokenBy, now, call.agentSet.redact);
      if (turn) progress.turns.push(turn);
    }
    return progress.turns;
  }
}

function finishedTurn(item: RealtimeItem, seen: Set<string>, spokenBy: ReadonlyMap<string, string>, at: number, redact: Redactor): Turn | undefined {
  if (item.type !== 'message' || item.role === 'system' || seen.has(item.itemId) || item.status === 'in_progress') return undefined;
  if (item.role === 'user' && item.content.every((part) => part.type === 'input_text')) return undefined;
  const said = item.content
    .map((part) => ('transcript' in part ? part.transcript : 'text' in part && item.role === 'assistant' ? part.text : null) ?? '')
    .join(' ')
    .trim();
  // A caller's turn may be finished before its transcript arrives: it is taken once it has words.
  if (said === '') return undefined;
  seen.add(item.itemId);
  // The console shows what the record keeps (see store/recorder.ts), never more.
  const text = redact(said);
  if (item.role === 'user') return { role: 'caller', text, at };
  const agent = spokenBy.get(item.itemId);
  return agent === undefined ? { role: 'agent', text, at } : { role: 'agent', agent, text, at };
}

/** Calls still hearing <Say> first, then those streaming; each with its turns so far. */
export function liveCalls(ctx: ServerContext, turns: LiveTurns, now = Date.now()): { calls: LiveCall[]; turns: Map<string, Turn[]> } {
  const calls: LiveCall[] = [];
  const turnsBySid = new Map<string, Turn[]>();
  for (const { callSid, since } of ctx.tokens.waiting()) {
    const warm = ctx.prewarm.peek(callSid);
    const facts = warm?.upstream.line.facts;
    calls.push({ callSid, state: 'greeting', agent: warm?.agentId ?? null, number: partyOf(facts), direction: facts?.direction ?? null, since, turns: 0 });
  }
  for (const call of ctx.calls) {
    const callSid = call.callSid;
    if (callSid === undefined || call.ended) continue;
    const facts = call.upstream?.line.facts;
    const said = turns.of(call, now);
    turnsBySid.set(callSid, said);
    calls.push({
      callSid,
      state: ctx.draining ? 'draining' : 'connected',
      agent: call.upstream?.line.agentId ?? call.record.agent ?? null,
      number: partyOf(facts),
      direction: facts?.direction ?? null,
      since: call.record.startedAt,
      turns: said.length,
    });
  }
  return { calls, turns: turnsBySid };
}
