// Key presses reach the agent as conversation input, each at once or collected; the digits never
// reach a log line.
import { expect, test } from 'bun:test';
import { callStarted, liveCall, startHarness } from '../harness.ts';

const userText = (e: any) => (e.item?.type === 'message' && e.item.role === 'user' ? e.item.content?.[0]?.text : undefined);

test('each (the default): every key press is a user turn that asks for a response', async () => {
  await using h = await startHarness({ yaml: 'agents:\n  a: { instructions: hi }\n' });
  const { call, upstream } = await liveCall(h);
  await callStarted(h, call.callSid);
  call.sendDtmf('5');
  const item = await upstream.waitFor('conversation.item.create', (e) => userText(e) !== undefined);
  expect(userText(item)).toBe('The caller pressed 5.');
  await upstream.waitFor('response.create');
  await call.hangup();
  expect(h.logs.join('\n')).not.toContain('pressed');
});

test('collect: digits are gathered until the end key, the maximum, or a pause, then sent as one input', async () => {
  const yaml = 'agents:\n  a: { instructions: hi, dtmf: { mode: collect, end_on: "#", max_digits: 4, timeout_ms: 200 } }\n';
  await using h = await startHarness({ yaml });
  const { call, upstream } = await liveCall(h);
  await callStarted(h, call.callSid);
  const inputs = () => upstream.eventsOf('conversation.item.create').map(userText).filter(Boolean);

  for (const key of '12#') call.sendDtmf(key);
  await upstream.waitFor('conversation.item.create', (e) => userText(e) === 'The caller entered 12 on the keypad.');
  for (const key of '98765') call.sendDtmf(key);
  await upstream.waitFor('conversation.item.create', (e) => userText(e) === 'The caller entered 9876 on the keypad.');
  // The fifth digit waits for more, then the pause sends it.
  await upstream.waitFor('conversation.item.create', (e) => userText(e) === 'The caller entered 5 on the keypad.');
  expect(inputs()).toEqual(['The caller entered 12 on the keypad.', 'The caller entered 9876 on the keypad.', 'The caller entered 5 on the keypad.']);
  await call.hangup();
  const log = h.logs.join('\n');
  for (const digits of ['9876', 'entered', 'digit=']) expect(log).not.toContain(digits);
});
