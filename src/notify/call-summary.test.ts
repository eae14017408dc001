import { expect, test } from 'bun:test';
import { newRecord } from '../call/record.ts';
import { compileRedactor } from '../privacy/redact.ts';
import { callSummary } from './call-summary.ts';

const keep = compileRedactor([]);

test('a transferred outbound call: its parameters, the transfer target, every agent once, no keypad digits', () => {
  const record = newRecord(Date.parse('2026-03-01T10:00:00.000Z'));
  Object.assign(record, {
    callSid: 'CA1',
    streamSid: 'MZ1',
    agent: 'desk',
    endedAt: Date.parse('2026-03-01T10:01:05.250Z'),
    endReason: 'transferred',
    transfer: { to: '+15550001111', timeoutSeconds: 30, record: false },
    dtmf: ['1', '2'],
    handoffs: [
      { from: 'desk', to: 'billing', atMs: 12_340 },
      { from: 'billing', to: 'desk', atMs: 50_000 },
    ],
    tools: [{ name: 'transfer_call', arguments: '{}' }],
  });
  const facts = { sid: 'CA1', from: '+15550009999', to: '+15557654321', direction: 'outbound-api', params: { order: '42' } };
  expect(callSummary(record, facts, keep)).toEqual({
    event: 'call.ended',
    call_sid: 'CA1',
    stream_sid: 'MZ1',
    from: '+15550009999',
    to: '+15557654321',
    direction: 'outbound-api',
    parameters: { order: '42' },
    agent: 'desk',
    agents: ['desk', 'billing'],
    handoffs: [
      { from: 'desk', to: 'billing', at_seconds: 12.3 },
      { from: 'billing', to: 'desk', at_seconds: 50 },
    ],
    started_at: '2026-03-01T10:00:00.000Z',
    ended_at: '2026-03-01T10:01:05.250Z',
    duration_seconds: 65.3,
    end_reason: 'transferred',
    transfer: { to: '+15550001111', caller_id: null },
    transcript: [],
    tool_calls: [{ name: 'transfer_call', arguments: '{}', result: null }],
    guardrails: [],
  });
});

test('a call that never had a session: what the record knows, nulls for the rest', () => {
  const record = newRecord(Date.parse('2026-03-01T10:00:00.000Z'));
  Object.assign(record, { callSid: 'CA2', streamSid: 'MZ2', endedAt: record.startedAt + 40, endReason: 'unknown_agent' });
  expect(callSummary(record, undefined, keep)).toMatchObject({
    call_sid: 'CA2',
    from: null,
    to: null,
    direction: null,
    parameters: {},
    agent: null,
    agents: [],
    duration_seconds: 0,
    end_reason: 'unknown_agent',
  });
});

test('what was said is redacted as the store keeps it; guardrail trips say what the caller heard instead', () => {
  const record = newRecord(Date.parse('2026-03-01T10:00:00.000Z'));
  Object.assign(record, {
    callSid: 'CA3',
    agent: 'desk',
    endedAt: record.startedAt + 30_000,
    endReason: 'caller_hangup',
    transcript: [
      { role: 'caller', text: 'My card is 4111 1111 1111 1111, order 1234 5678 9012 3456.' },
      { role: 'agent', agent: 'desk', text: 'Thanks.' },
    ],
    tools: [{ name: 'charge', arguments: '{"card":"4111-1111-1111-1111"}', result: 'charged 4111111111111111' }],
    guardrails: [{ name: 'no-card-numbers', agent: 'desk', atMs: 12_340, message: "Sorry, I can't read card numbers." }],
  });
  const summary = callSummary(record, undefined, compileRedactor(['card_number']));
  expect(summary.transcript).toEqual([
    { role: 'caller', agent: null, text: 'My card is [card_number], order 1234 5678 9012 3456.' },
    { role: 'agent', agent: 'desk', text: 'Thanks.' },
  ]);
  expect(summary.tool_calls).toEqual([{ name: 'charge', arguments: '{"card":"[card_number]"}', result: 'charged [card_number]' }]);
  expect(summary.guardrails).toEqual([{ name: 'no-card-numbers', agent: 'desk', at_seconds: 12.3, message: "Sorry, I can't read card numbers." }]);
});
