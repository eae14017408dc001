// Streams each live call's record to the store as the call goes: once a second it looks at what
// is new (finished turns, tool runs, handoffs, guardrail trips, key presses) and queues it; the
// store writes in batches; as it ends, its ending and the timings the call measured (see
// call/timings.ts). Nothing here runs per audio frame. A crash loses at most the last
// second. What was said is redacted here (privacy.redact of the call's own config): the store,
// and so `calls show`, GET /calls/:sid and the console's history, never hold what it removes.
import type { Call } from '../call/call.ts';
import { inProgress, turnOf } from '../call/turns.ts';
import type { CallStore } from './store.ts';

export const SYNC_EVERY_MS = 1000;

interface Progress {
  items: Set<string>;
  tools: number;
  handoffs: number;
  guardrails: number;
  dtmf: number;
  transfer: boolean;
}

export class Recorder {
  readonly #seen = new WeakMap<Call, Progress>();

  constructor(
    private readonly store: CallStore,
    private readonly keepDtmf: boolean,
  ) {}

  /** Queues what is new on a live call (the first time, the call's own row). */
  sync(call: Call, final = false): void {
    const record = call.record;
    const upstream = call.upstream;
    if (record.callSid === undefined || upstream === undefined) return;
    const callSid = record.callSid;
    const redact = call.agentSet.redact;
    let progress = this.#seen.get(call);
    if (progress === undefined) {
      progress = { items: new Set(), tools: 0, handoffs: 0, guardrails: 0, dtmf: 0, transfer: false };
      this.#seen.set(call, progress);
      const { from, to, direction } = upstream.line.facts;
      this.store.callStarted({ callSid, streamSid: record.streamSid, direction, from, to, agent: record.agent, startedAt: record.startedAt, answeredAt: record.startedAt });
    }
    // Finished turns, in history order: a caller's once transcribed, the agent's once complete;
    // at the end, whatever has words. What a turn is (keypad input is not one) is call/turns.ts's rule.
    for (const item of upstream.session.history) {
      if (progress.items.has(item.itemId) || (!final && inProgress(item))) continue;
      const turn = turnOf(item, record.spokenBy);
      // Not a turn, or a caller's whose transcript has not come yet: looked at again next time.
      if (turn === undefined) continue;
      progress.items.add(item.itemId);
      this.store.event(callSid, 'turn', { ...turn, text: redact(turn.text) });
    }
    // A tool run is written once it has finished (or the call has).
    while (progress.tools < record.tools.length) {
      const tool = record.tools[progress.tools]!;
      if (tool.result === undefined && !final) break;
      this.store.event(callSid, 'tool', {
        ...tool,
        arguments: redact(tool.arguments),
        result: tool.result === undefined ? undefined : redact(tool.result),
        error: tool.error === undefined ? undefined : redact(tool.error),
      });
      progress.tools++;
    }
    for (; progress.handoffs < record.handoffs.length; progress.handoffs++) this.store.event(callSid, 'handoff', { ...record.handoffs[progress.handoffs]! });
    // Which guardrail cut the agent off and what the caller heard instead; never the words it blocked.
    for (; progress.guardrails < record.guardrails.length; progress.guardrails++) {
      this.store.event(callSid, 'guardrail', { ...record.guardrails[progress.guardrails]! });
    }
    if (record.dtmf.length > progress.dtmf) {
      const keys = record.dtmf.slice(progress.dtmf);
      this.store.event(callSid, 'dtmf', this.keepDtmf ? { keys: keys.join('') } : { count: keys.length });
      progress.dtmf = record.dtmf.length;
    }
    if (record.transfer && !progress.transfer) {
      progress.transfer = true;
      this.store.event(callSid, 'transfer', { to: record.transfer.to });
    }
  }

  /** The call is over: what is left, then its ending, then its timings (on the row the ending closed). */
  end(call: Call): void {
    const { callSid, endReason, endedAt, agent, handoffs } = call.record;
    if (callSid === undefined || endReason === undefined || !this.#seen.has(call)) return this.#endUnseen(call);
    this.sync(call, true);
    this.store.callEnded(callSid, endedAt ?? Date.now(), endReason, [agent, ...handoffs.map((h) => h.to)].filter((a): a is string => a !== undefined));
    const timings = call.timings;
    if (timings !== undefined) this.store.callTimings(callSid, timings);
  }

  /** A call that ended before its first sync (a short call, or one that failed at start). */
  #endUnseen(call: Call): void {
    if (call.record.callSid === undefined || call.upstream === undefined) return;
    this.sync(call, true);
    if (this.#seen.has(call)) this.end(call);
  }
}
