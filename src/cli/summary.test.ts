import { expect, test } from 'bun:test';
import { parseConfig } from '../config/index.ts';
import { describeSections } from './summary.ts';

const sections = (yaml: string) => describeSections(parseConfig(yaml, 'agents.yaml', {}).config);

test('a file that sets only agents has no section lines: nothing is at other than its default', () => {
  expect(sections('agents:\n  a: { instructions: hi }\n')).toEqual([]);
});

test('every section that is set says what it sets up, one line each, never a credential', () => {
  const yaml = `
numbers: { "+15550002222": billing }
guardrails: [{ name: no_cards, deny_regex: "\\\\d{16}", message: "I can't say that." }]
filler_after_ms: 1500
fallback: { say: Sorry., dial: "+15550009999" }
limits: { max_concurrent_calls: 4 }
approvals: reject
on_call_end: { url: "https://hooks.example.com/services/T0/B0/SECRETPATH?token=SECRETQUERY", secret: "0123456789abcdef0123", headers: { Authorization: "Bearer SECRETHEADER" } }
outbound: { from: "+15550001111", machine_detection: hang_up, allowed_destinations: ["+1", "+44"] }
storage: { url: "postgres://switchboard:SECRETPASSWORD@db.internal:5432/calls", retain_days: 30, keep_dtmf: true }
privacy: { redact: [card_number, email, { name: policy, regex: "POL-\\\\d{6}" }] }
logging: { content: true }
openai: { tracing: { enabled: true } }
agents:
  greeter: { instructions: hi, handoffs: [billing] }
  billing:
    instructions: hi
    dtmf: { mode: collect, max_digits: 6 }
    guardrails: [{ name: no_refunds, deny_words: [refund], message: "Let me get someone." }]
    fallback: { say: Billing is down. }
`;
  const lines = sections(yaml);
  expect(lines).toEqual([
    'numbers: +15550002222 -> billing; any other -> greeter (entry)',
    'guardrails: no_cards (every agent); billing: no_refunds',
    'dtmf: billing: collects digits until #, at most 6, or 3000 ms after the last key',
    'filler: after 1500 ms of a slow tool the agent says "One moment while I look that up."',
    'fallback: says "Sorry.", then dials +15550009999; billing: says "Billing is down.", then hangs up',
    'limits: 4 calls at once, 1800 s per call, 60 s of silence, 5 s to reach the Realtime API',
    'approvals: reject (tool calls that need approval are refused)',
    "on_call_end: each call's summary POSTed to https://hooks.example.com, signed; 3 retries, 5000 ms each, 1 extra header",
    'outbound: from +15550001111, agent greeter (entry), answering machines: hang up, destinations +1, +44, at most 10 a minute and 200 a day',
    'storage: PostgreSQL at db.internal:5432/calls, calls kept 30 days, keypad digits kept',
    'privacy: redact card_number, email, [policy]',
    'logging: the conversation goes into info logs (content: true), redacted and with numbers masked',
    'openai.tracing: every call traced on OpenAI\'s dashboard as "switchboard"',
  ]);
  // The webhook's path, query and headers and the store's password may be credentials.
  expect(lines.join('\n')).not.toMatch(/SECRET/);
});

test('storage off, and redaction turned off, are said as such', () => {
  expect(sections('storage: { url: "off" }\nprivacy: { redact: [] }\nagents:\n  a: { instructions: hi }\n')).toEqual([
    'storage: off (no call is recorded)',
    'privacy: nothing redacted (redact: [])',
  ]);
});
