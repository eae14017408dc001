// What `check` says it understood of agents.yaml beyond the agents: one line per section that says
// something, named by its YAML key (numbers, guardrails, dtmf, on_call_end, outbound, storage,
// privacy, …). A section left at its defaults gets no line, so the summary reads as what this file
// changes. Nothing secret is printed: a URL that may carry a credential (the webhook's, the store's)
// is shown as its host only.
import { configSchema, type AgentConfig, type Config } from '../config/index.ts';
import { DEFAULT_FILLER_SAY } from '../config/schema/tool-schema.ts';

/** The config of a file that sets nothing but one agent: what every section is when left out. */
const DEFAULTS: Config = configSchema.parse({ agents: { a: { instructions: '.' } } });
const DEFAULT_AGENT = DEFAULTS.agents.a!;

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
const quoted = (text: string) => JSON.stringify(text);
const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** Each agent that sets `key` to something other than the default, with what it reads as. */
function perAgent<T>(config: Config, pick: (agent: AgentConfig) => T | undefined, describe: (value: T, id: string) => string | undefined): string[] {
  const out: string[] = [];
  for (const [id, agent] of Object.entries(config.agents)) {
    const value = pick(agent);
    if (value === undefined) continue;
    const text = describe(value, id);
    if (text !== undefined) out.push(text);
  }
  return out;
}

function numbers(config: Config): string | undefined {
  const routes = Object.entries(config.numbers);
  if (routes.length === 0) return undefined;
  return `numbers: ${routes.map(([number, agent]) => `${number} -> ${agent}`).join(', ')}; any other -> ${config.entry} (entry)`;
}

function guardrails(config: Config): string | undefined {
  const names = (list: readonly { name: string }[]) => list.map((g) => g.name).join(', ');
  const parts = [
    ...(config.guardrails?.length ? [`${names(config.guardrails)} (every agent)`] : []),
    ...perAgent(config, (a) => (a.guardrails?.length ? a.guardrails : undefined), (list, id) => `${id}: ${names(list)}`),
  ];
  return parts.length > 0 ? `guardrails: ${parts.join('; ')}` : undefined;
}

function dtmf(config: Config): string | undefined {
  const parts = perAgent(
    config,
    (a) => a.dtmf,
    (d, id) => {
      if (same(d, DEFAULT_AGENT.dtmf)) return undefined;
      if (d.mode === 'each') return `${id}: each key as it is pressed`;
      const limit = d.max_digits === undefined ? '' : `, at most ${d.max_digits}`;
      return `${id}: collects digits until ${d.end_on}${limit}, or ${d.timeout_ms} ms after the last key`;
    },
  );
  return parts.length > 0 ? `dtmf: ${parts.join('; ')}` : undefined;
}

function filler(config: Config): string | undefined {
  if (config.filler_after_ms === undefined) return undefined;
  return `filler: after ${config.filler_after_ms} ms of a slow tool the agent says ${quoted(config.filler_say ?? DEFAULT_FILLER_SAY)}`;
}

function fallback(config: Config): string | undefined {
  const describe = (f: Config['fallback']) => [f.say === undefined ? 'says nothing' : `says ${quoted(f.say)}`, f.dial ? `then dials ${f.dial}` : 'then hangs up'].join(', ');
  const parts = [
    ...(same(config.fallback, DEFAULTS.fallback) ? [] : [describe(config.fallback)]),
    ...perAgent(config, (a) => a.fallback, (f, id) => `${id}: ${describe(f)}`),
  ];
  return parts.length > 0 ? `fallback: ${parts.join('; ')}` : undefined;
}

function limits(config: Config): string | undefined {
  const l = config.limits;
  if (same(l, DEFAULTS.limits)) return undefined;
  const busy = l.busy_say === DEFAULTS.limits.busy_say ? '' : `, busy message ${quoted(l.busy_say)}`;
  return (
    `limits: ${plural(l.max_concurrent_calls, 'call')} at once, ${l.max_call_seconds} s per call, ` +
    `${l.idle_seconds} s of silence, ${l.connect_timeout_seconds} s to reach the Realtime API${busy}`
  );
}

function approvals(config: Config): string | undefined {
  return config.approvals === DEFAULTS.approvals ? undefined : 'approvals: reject (tool calls that need approval are refused)';
}

function onCallEnd(config: Config): string | undefined {
  const hook = config.on_call_end;
  if (!hook) return undefined;
  // The host only: a path or query may hold a token (a chat webhook's URL often does).
  const headers = Object.keys(hook.headers).length;
  return (
    `on_call_end: each call's summary POSTed to ${new URL(hook.url).origin}, signed; ` +
    `${plural(hook.retries, 'retry', 'retries')}, ${hook.timeout_ms} ms each${headers > 0 ? `, ${plural(headers, 'extra header')}` : ''}`
  );
}

function outbound(config: Config): string | undefined {
  const o = config.outbound;
  if (same(o, DEFAULTS.outbound)) return undefined;
  const parts = [
    `from ${o.from ?? 'TWILIO_FROM or --from'}`,
    `agent ${o.agent ?? `${config.entry} (entry)`}`,
    ...(o.machine_detection === 'off' ? [] : [`answering machines: ${o.machine_detection === 'hang_up' ? 'hang up' : 'leave the message'}`]),
    `destinations ${o.allowed_destinations ? o.allowed_destinations.join(', ') : "the from number's country code"}`,
    `at most ${o.max_per_minute} a minute and ${o.max_per_day} a day`,
  ];
  return `outbound: ${parts.join(', ')}`;
}

/** Where the records go, without the credentials a PostgreSQL URL carries. */
function storage(config: Config): string | undefined {
  const s = config.storage;
  if (same(s, DEFAULTS.storage)) return undefined;
  if (s.url === 'off') return 'storage: off (no call is recorded)';
  let where = s.url;
  if (!s.url.startsWith('sqlite://')) {
    try {
      const url = new URL(s.url);
      where = `PostgreSQL at ${url.host}${url.pathname}`;
    } catch {
      where = 'PostgreSQL';
    }
  }
  return `storage: ${where}, calls kept ${s.retain_days} days${s.keep_dtmf ? ', keypad digits kept' : ''}`;
}

function privacy(config: Config): string | undefined {
  const redact = config.privacy.redact;
  if (same(redact, DEFAULTS.privacy.redact)) return undefined;
  if (redact.length === 0) return 'privacy: nothing redacted (redact: [])';
  return `privacy: redact ${redact.map((r) => (typeof r === 'string' ? r : `[${r.name}]`)).join(', ')}`;
}

function logging(config: Config): string | undefined {
  return config.logging.content ? 'logging: the conversation goes into info logs (content: true), redacted and with numbers masked' : undefined;
}

function tracing(config: Config): string | undefined {
  const t = config.openai.tracing;
  return t?.enabled ? `openai.tracing: every call traced on OpenAI's dashboard as ${quoted(t.workflow_name)}` : undefined;
}

const SECTIONS = [numbers, guardrails, dtmf, filler, fallback, limits, approvals, onCallEnd, outbound, storage, privacy, logging, tracing];

/** One line per section that is not at its defaults, always in the same order. */
export function describeSections(config: Config): string[] {
  return SECTIONS.map((section) => section(config)).filter((line): line is string => line !== undefined);
}
