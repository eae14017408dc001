// One call as its Realtime session sees it: the agent it is configured for, what is known of the
// call (for {{call.*}}), and the call's controls (hang up, transfer) for the built-in tools. Tools,
// handoffs and instructions reach it through the session's context; it is per call, while the
// compiled agents are shared by every call.
import { PLACEHOLDER } from '../config/schema/template.ts';

export interface CallFacts {
  sid: string;
  /** The caller's number; personal data: never logged in full. */
  from: string;
  to: string;
  /** Twilio's Direction: inbound, outbound-api, ... */
  direction: string;
  /** Custom stream parameters (an outbound call's `parameters`). */
  params: Record<string, string>;
}

export interface TransferRequest {
  to: string;
  callerId?: string;
  timeoutSeconds: number;
  record: boolean;
}

/** What the built-in tools ask of the call; the call carries it out once the agent has spoken. */
export interface CallControl {
  hangUp(): void;
  transfer(request: TransferRequest): void;
}

export interface Line {
  /** The agent the session is configured for; a handoff moves it before the SDK sends the new agent's session.update. */
  agentId: string;
  facts: CallFacts;
  /** Set when a call adopts the session (a pre-warmed session has none yet). */
  control?: CallControl;
}

/** The context every call's RealtimeSession carries. The SDK copies it shallowly, so the Line is shared by reference. */
export interface CallContext {
  line: Line;
}

/** The facts as a stream <Parameter> (the sid travels on its own in `start`). */
export function encodeFacts({ from, to, direction, params }: CallFacts): string {
  return JSON.stringify({ from, to, direction, params });
}

/** Back from a stream's parameters; anything missing or malformed is empty. */
export function decodeFacts(sid: string, text: string | undefined): CallFacts {
  const facts: CallFacts = { sid, from: '', to: '', direction: '', params: {} };
  let data: unknown;
  try {
    data = text === undefined ? undefined : JSON.parse(text);
  } catch {
    return facts;
  }
  if (typeof data !== 'object' || data === null) return facts;
  const { from, to, direction, params } = data as Record<string, unknown>;
  if (typeof from === 'string') facts.from = from;
  if (typeof to === 'string') facts.to = to;
  if (typeof direction === 'string') facts.direction = direction;
  if (typeof params === 'object' && params !== null) {
    for (const [k, v] of Object.entries(params)) if (typeof v === 'string') facts.params[k] = v;
  }
  return facts;
}

/** `call.from` -> value, for every fact (absent ones render empty). */
export function factValues(facts: CallFacts): Record<string, string> {
  const values: Record<string, string> = {
    'call.from': facts.from,
    'call.to': facts.to,
    'call.sid': facts.sid,
    'call.direction': facts.direction,
  };
  for (const [name, value] of Object.entries(facts.params)) values[`call.param.${name}`] = value;
  return values;
}

/** Fills `{{call.*}}` only; any other `{{...}}` in an agent's text is left as written. */
export function renderCallFacts(text: string, facts: CallFacts): string {
  if (!text.includes('{{')) return text;
  const values = factValues(facts);
  return text.replace(PLACEHOLDER, (whole, name: string) => (name.startsWith('call.') ? (values[name] ?? '') : whole));
}
