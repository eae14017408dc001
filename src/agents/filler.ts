// Waiting on the phone: a tool that runs longer than its filler delay lets the agent say a short
// filler instead of leaving the caller in silence. The filler is an out-of-band response
// (`conversation: "none"`): the caller hears it, but it is not added to the conversation, so the
// tool's result still comes next, in order, and the model answers from it as if nothing was said
// in between. Which delay applies is decided when the agents are compiled; the call's session
// observer (call/observe.ts) starts the clock when a tool starts.
import type { RealtimeAgent } from '@openai/agents/realtime';
import { DEFAULT_FILLER_SAY } from '../config/schema/tool-schema.ts';

export interface Filler {
  afterMs: number;
  say: string;
}

/** Per agent: the filler of each of its tools by name (MCP tools are known only once listed). */
const fillers = new WeakMap<object, (toolName: string) => Filler | undefined>();

export function setFillers(agent: RealtimeAgent<any>, lookup: (toolName: string) => Filler | undefined): void {
  fillers.set(agent, lookup);
}

export function fillerFor(agent: object, toolName: string): Filler | undefined {
  return fillers.get(agent)?.(toolName);
}

/** The filler for a delay (a tool's own, else the global one), or none when neither is set. */
export function filler(afterMs: number | undefined, globalAfterMs: number | undefined, say: string | undefined): Filler | undefined {
  const ms = afterMs ?? globalAfterMs;
  return ms === undefined ? undefined : { afterMs: ms, say: say ?? DEFAULT_FILLER_SAY };
}

/**
 * The `response.create` that speaks it. Sent through the SDK transport, which holds a
 * response.create back while a response is in progress (the API refuses a second one with
 * `conversation_already_has_active_response`), so it never collides with the response that
 * called the tool.
 */
export function fillerEvent(say: string) {
  return {
    type: 'response.create' as const,
    response: {
      conversation: 'none',
      metadata: { switchboard: 'filler' },
      instructions: `A tool you called is still running. Say exactly this, and nothing else: "${say}"`,
    },
  };
}
