// An outbound call as switchboard places it, for `switchboard call` and POST /calls alike: the
// checks (one line per mistake), the URL Twilio requests once the call is answered, the REST call.
import { E164 } from '../config/schema/call-control-schema.ts';
import type { Config } from '../config/index.ts';
import { createCall, type CallResource, type MachineDetection, type TwilioRest } from '../twilio/rest.ts';
import { RING_TIMEOUT_SECONDS } from './placed-calls.ts';

/** Twilio requests this (signed, with AnsweredBy) when an outbound call is answered. */
export const OUTBOUND_PATH = '/outbound-call';
/** Twilio's status callback for placed calls (signed): how far each got, and how it ended. */
export const OUTBOUND_STATUS_PATH = '/outbound-status';
/** Every progress event: each one that comes keeps a ringing call counted; `completed` frees its line. */
const STATUS_EVENTS = ['initiated', 'ringing', 'answered', 'completed'] as const;

/** Bounds on custom parameters: they ride in the answer URL and in the stream's <Parameter>s. */
export const MAX_PARAMETERS = 10;
const MAX_NAME = 64;
const MAX_VALUE = 256;
/** Twilio's limit for a callback URL. */
const MAX_URL = 4000;
const PARAM_NAME = /^[A-Za-z0-9_-]+$/;
/** In the answer URL, a parameter NAME travels as `param.NAME`, as it is written `{{call.param.NAME}}`. */
const PARAM_PREFIX = 'param.';
const FIELDS = ['to', 'agent', 'from', 'parameters'];

export interface OutboundCall {
  to: string;
  from: string;
  agent: string;
  parameters: Record<string, string>;
}

/** How each field is called where it came from (JSON field names by default; the CLI's flags). */
export interface FieldLabels {
  to: string;
  agent: string;
  from: string;
  parameters: string;
}
const JSON_LABELS: FieldLabels = { to: 'to', agent: 'agent', from: 'from', parameters: 'parameters' };

const quote = (value: unknown) => JSON.stringify(value);

export interface OutboundContext {
  config: Config;
  /** TWILIO_FROM */
  envFrom?: string;
  /** The origin Twilio reaches switchboard at. */
  publicUrl: string;
}

/** The call to place, or every mistake in the request, each a line that says how to fix it. */
export function checkOutbound(input: unknown, { config, envFrom, publicUrl }: OutboundContext, labels = JSON_LABELS): OutboundCall | string[] {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return ['the body must be a JSON object like {"to": "+15551234567"}'];
  const body = input as Record<string, unknown>;
  const errors = Object.keys(body)
    .filter((key) => !FIELDS.includes(key))
    .map((key) => `unknown field ${quote(key)}; the fields are ${FIELDS.join(', ')}`);
  const number = (label: string, value: unknown) => {
    if (typeof value === 'string' && E164.test(value)) return value;
    errors.push(`${label} must be an E.164 number like +15551234567 (got ${quote(value)})`);
    return '';
  };
  const to = body.to === undefined ? (errors.push(`${labels.to} is required: the number to call, like +15551234567`), '') : number(labels.to, body.to);
  const fromValue = body.from ?? config.outbound.from ?? envFrom;
  const from = fromValue === undefined ? (errors.push(`no number to call from: give ${labels.from}, or set outbound.from in the YAML or TWILIO_FROM`), '') : number(labels.from, fromValue);
  const agent = body.agent ?? config.outbound.agent ?? config.entry;
  if (typeof agent !== 'string' || !Object.hasOwn(config.agents, agent)) {
    errors.push(`${labels.agent}: unknown agent ${quote(agent)}; the agents are ${Object.keys(config.agents).join(', ')}`);
  }
  const parameters = checkParameters(body.parameters ?? {}, labels.parameters, errors);
  if (errors.length > 0) return errors;
  const call = { to, from, agent: String(agent), parameters };
  if (answerUrl(publicUrl, call).length > MAX_URL) return [`${labels.parameters} make the answer URL longer than Twilio accepts (${MAX_URL} characters); shorten them`];
  return call;
}

function checkParameters(value: unknown, label: string, errors: string[]): Record<string, string> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    errors.push(`${label} must be an object of strings, like {"name": "Ada"}`);
    return {};
  }
  const entries = Object.entries(value);
  if (entries.length > MAX_PARAMETERS) errors.push(`${label}: at most ${MAX_PARAMETERS} (got ${entries.length})`);
  const parameters: Record<string, string> = {};
  for (const [name, text] of entries) {
    if (!PARAM_NAME.test(name) || name.length > MAX_NAME) {
      errors.push(`${label}: the name ${quote(name)} must be 1 to ${MAX_NAME} letters, digits, _ or - (it becomes {{call.param.NAME}})`);
    } else if (typeof text !== 'string') {
      errors.push(`${label}.${name} must be a string (got ${quote(text)})`);
    } else if (text.length > MAX_VALUE) {
      errors.push(`${label}.${name} is longer than ${MAX_VALUE} characters`);
    } else parameters[name] = text;
  }
  return parameters;
}

/** The answer URL: the agent and the parameters ride in its query, which Twilio's signature covers. */
export function answerUrl(publicUrl: string, call: Pick<OutboundCall, 'agent' | 'parameters'>): string {
  const query = new URLSearchParams({ agent: call.agent });
  for (const [name, value] of Object.entries(call.parameters)) query.set(PARAM_PREFIX + name, value);
  return `${publicUrl}${OUTBOUND_PATH}?${query}`;
}

/** Back from the answer URL; a malformed or surplus parameter is dropped, never trusted. */
export function readAnswerUrl(url: URL): { agent?: string; parameters: Record<string, string> } {
  const parameters: Record<string, string> = {};
  for (const [key, value] of url.searchParams) {
    const name = key.slice(PARAM_PREFIX.length);
    if (!key.startsWith(PARAM_PREFIX) || !PARAM_NAME.test(name) || name.length > MAX_NAME || value.length > MAX_VALUE) continue;
    if (Object.keys(parameters).length < MAX_PARAMETERS) parameters[name] = value;
  }
  return { agent: url.searchParams.get('agent') ?? undefined, parameters };
}

/** `outbound.machine_detection` as Twilio's MachineDetection: a message waits for the beep. */
export function machineDetection(config: Config): MachineDetection | undefined {
  const mode = config.outbound.machine_detection;
  return mode === 'hang_up' ? 'Enable' : mode === 'leave_message' ? 'DetectMessageEnd' : undefined;
}

/** Asks Twilio to place a checked call, ringing at most RING_TIMEOUT_SECONDS; rejects with a TwilioApiError. */
export function placeOutbound(rest: TwilioRest, publicUrl: string, call: OutboundCall, config: Config): Promise<CallResource> {
  return createCall(rest, {
    to: call.to,
    from: call.from,
    url: answerUrl(publicUrl, call),
    machineDetection: machineDetection(config),
    statusCallback: `${publicUrl}${OUTBOUND_STATUS_PATH}`,
    statusCallbackEvents: STATUS_EVENTS,
    timeoutSeconds: RING_TIMEOUT_SECONDS,
  });
}
