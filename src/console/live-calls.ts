// The calls in progress as the console shows them, shaped from the server's one view of them
// (server/live-calls.ts) once a second: never on the frame path. Each call's finished turns are
// taken as the store's recorder takes them (call/turns.ts says what a turn is) and redacted as the
// store keeps them (privacy.redact of the call's own config); numbers are masked (views.ts).
import type { Call } from '../call/call.ts';
import { inProgress, turnOf } from '../call/turns.ts';
import type { ServerContext } from '../server/context.ts';
import { callsInProgress } from '../server/live-calls.ts';
import type { LiveCall, TimedTurn } from './shared/types.ts';
import { otherParty } from './views.ts';

interface Progress {
  seen: Set<string>;
  turns: TimedTurn[];
}

/**
 * Finished turns of each live call, as the call record will store them (see store/recorder.ts):
 * a caller's once transcribed, the agent's once complete. Stamped with the time they were first seen.
 */
export class LiveTurns {
  readonly #progress = new WeakMap<Call, Progress>();

  of(call: Call, now = Date.now()): TimedTurn[] {
    let progress = this.#progress.get(call);
    if (progress === undefined) {
      progress = { seen: new Set(), turns: [] };
      this.#progress.set(call, progress);
    }
    for (const item of call.upstream?.session.history ?? []) {
      if (progress.seen.has(item.itemId) || inProgress(item)) continue;
      // Undefined too for a caller's turn whose transcript has not come yet: looked at again next second.
      const turn = turnOf(item, call.record.spokenBy);
      if (turn === undefined) continue;
      progress.seen.add(item.itemId);
      // The console shows what the record keeps (see store/recorder.ts), never more.
      progress.turns.push({ ...turn, text: call.agentSet.redact(turn.text), at: now });
    }
    return progress.turns;
  }
}

/** Calls still hearing <Say> first, then those streaming; each with its turns so far. */
export function liveCalls(ctx: ServerContext, turns: LiveTurns, now = Date.now()): { calls: LiveCall[]; turns: Map<string, TimedTurn[]> } {
  const calls: LiveCall[] = [];
  const turnsBySid = new Map<string, TimedTurn[]>();
  for (const live of callsInProgress(ctx)) {
    const said = live.state === 'connected' ? turns.of(live.call, now) : [];
    if (live.state === 'connected') turnsBySid.set(live.callSid, said);
    const { facts } = live;
    calls.push({
      callSid: live.callSid,
      state: live.state === 'connected' && ctx.draining ? 'draining' : live.state,
      agent: live.agent,
      number: otherParty(facts?.direction, facts?.from, facts?.to),
      direction: facts?.direction ?? null,
      since: live.since,
      turns: said.length,
    });
  }
  return { calls, turns: turnsBySid };
}
