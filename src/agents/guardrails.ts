// Output guardrails as the SDK runs them: on the transcript of what the agent says, every few
// characters and at the end of each response. A guardrail is session-wide in the SDK, so each
// one checks which agent spoke: a global one trips for every agent, an agent's own for it alone.
// When one trips the SDK cuts the response off (cancel, truncate, Twilio `clear`); the caller then
// hears the guardrail's `message` (see `sayInstead`).
import type { RealtimeAgent, RealtimeItem, RealtimeOutputGuardrail, RealtimeSession } from '@openai/agents/realtime';
import { denyPattern, type GuardrailConfig } from '../config/schema/guardrail-schema.ts';
import type { Config } from '../config/schema/schema.ts';

/** How often (in transcript characters) the guardrails run while the agent speaks; the SDK's default is 100. */
export const GUARDRAIL_EVERY_CHARS = 20;

/** What a tripped guardrail reports (never the words that tripped it: they may be a card number). */
export interface GuardrailInfo {
  guardrail: string;
  say: string;
}

export function compileGuardrails(config: Config, agents: ReadonlyMap<string, RealtimeAgent<any>>): RealtimeOutputGuardrail[] {
  const all = [...agents.values()];
  const entries: { guardrail: GuardrailConfig; applies: RealtimeAgent<any>[] }[] = (config.guardrails ?? []).map((g) => ({ guardrail: g, applies: all }));
  for (const [id, agent] of Object.entries(config.agents)) {
    for (const g of agent.guardrails ?? []) entries.push({ guardrail: g, applies: [agents.get(id)!] });
  }
  return entries.map(({ guardrail, applies }) => {
    const pattern = denyPattern(guardrail);
    const info: GuardrailInfo = { guardrail: guardrail.name, say: guardrail.message };
    return {
      name: guardrail.name,
      policyHint: `never say what ${guardrail.name} forbids`,
      execute: async ({ agent, agentOutput }) => ({
        tripwireTriggered: applies.includes(agent as RealtimeAgent<any>) && pattern.test(String(agentOutput)),
        outputInfo: info,
      }),
    };
  });
}

/** The guardrail info of a `guardrail_tripped` error, if it is one of ours. */
export function trippedInfo(error: unknown): GuardrailInfo | undefined {
  const info = (error as { result?: { output?: { outputInfo?: unknown } } }).result?.output?.outputInfo;
  if (typeof info !== 'object' || info === null) return undefined;
  const { guardrail, say } = info as Record<string, unknown>;
  return typeof guardrail === 'string' && typeof say === 'string' ? { guardrail, say } : undefined;
}

/**
 * After a trip the SDK tells the model, as a user message, that its answer was blocked, and asks
 * for a new response, in which the model words an apology of its own. The caller is to hear the
 * guardrail's `message`: the SDK's note still goes into the conversation (the model should know
 * what happened), but the response asked for is told what to say. The SDK sends its note in the
 * same tick as it reports the trip, so `say` is armed only until the next microtask: a keypad
 * message sent later through the same method is never taken for it.
 */
export function sayInstead(session: RealtimeSession<any>): (say: string) => void {
  let pending: string | undefined;
  const original = session.sendMessage.bind(session);
  session.sendMessage = (message, otherEventData) => {
    const say = pending;
    pending = undefined;
    if (say === undefined) return original(message, otherEventData);
    session.transport.sendMessage(message, otherEventData ?? {}, { triggerResponse: false });
    session.transport.sendEvent({ type: 'response.create', response: { instructions: `Say exactly this, and nothing else: "${say}"` } });
  };
  return (say) => {
    pending = say;
    queueMicrotask(() => (pending = undefined));
  };
}

/**
 * What a tripped guardrail blocked stays out of the call record: the item's words are blanked in
 * the session's local history now and after every later update of it (its `done` may come after
 * the trip). The API deletes them too, once the SDK truncates the item.
 */
export function keepOutOfHistory(session: RealtimeSession<any>): (itemId: string) => void {
  const blocked = new Set<string>();
  const blank = (history: readonly RealtimeItem[]) => {
    if (blocked.size === 0) return;
    for (const item of history) {
      if (item.type !== 'message' || !blocked.has(item.itemId)) continue;
      for (const part of item.content as { transcript?: string | null; text?: string }[]) {
        if (typeof part.transcript === 'string') part.transcript = '';
        if (typeof part.text === 'string') part.text = '';
      }
    }
  };
  session.on('history_updated', blank);
  return (itemId) => {
    blocked.add(itemId);
    blank(session.history);
  };
}
