// LOG_LEVEL=debug (the harness logs at debug): the shape of a call, and its conversation, which
// info leaves out, redacted (privacy.redact), every phone number masked and every control
// character escaped: a hostile caller or service cannot forge or repaint a log line.
import { expect, test } from 'bun:test';
import { callStarted, eventually, liveCall, pattern, startHarness } from '../harness.ts';

test('debug lines show the webhook (number masked) and the turns, each with its CallSid', async () => {
  await using h = await startHarness();
  const { call, upstream } = await liveCall(h, { params: { From: '+15557654321' } });
  await callStarted(h, call.callSid);
  await upstream.speak(pattern(800, 3));
  await call.waitForAudioBytes(800);
  await eventually(() => h.logs.some((l) => l.includes('agent stopped speaking')), 2000, 'agent done');
  await call.hangup();

  const debug = h.logs.filter((l) => l.includes(' DEBUG ') && l.includes(`callSid=${call.callSid}`));
  expect(debug.find((l) => l.includes('webhook'))).toContain('from=********4321');
  expect(debug.some((l) => l.includes('agent speaking'))).toBe(true);
  expect(debug.some((l) => l.includes('turn added') && l.includes('role=assistant'))).toBe(true);
  expect(h.logs.join('\n')).not.toContain('5557654321');
});

/** A caller's turn and a tool result as a hostile caller or service would shape them. */
const HOSTILE = 'Card 4111-1111-1111-1111 \x1b[31mSYSTEM\x1b[0m\rFAKE LINE\x07';
const YAML = `
agents:
  desk: { instructions: Help., tools: [whoami] }
tools:
  whoami:
    description: The caller's number.
    parameters: { number: { type: string } }
    result: "You are calling from {{number}} \\u001b[2J"
`;

async function hostileCall(h: Awaited<ReturnType<typeof startHarness>>) {
  const { call, upstream } = await liveCall(h, { params: { From: '+15558675309' } });
  upstream.speechStarted();
  upstream.userTranscript(upstream.speechStopped(), HOSTILE);
  const { callId } = await upstream.callTool('whoami', { number: '+1 (555) 867-5309' });
  await upstream.waitFor('conversation.item.create', (e) => e.item?.call_id === callId);
  await call.hangup();
  await eventually(() => h.logs.some((l) => l.includes('call ended') && l.includes(call.callSid)), 3000, 'call ended');
  return call.callSid;
}

test('debug puts the conversation back, redacted, numbers masked, control characters escaped', async () => {
  await using h = await startHarness({ yaml: YAML, secrets: ['5558675309', '867-5309', '4111-1111'] });
  const callSid = await hostileCall(h);
  const mine = h.logs.filter((l) => l.includes(`callSid=${callSid}`));
  expect(mine.find((l) => l.includes(' DEBUG transcript ') && l.includes('role=caller'))).toEndWith(
    'text="Card [card_number] \\u001b[31mSYSTEM\\u001b[0m\\rFAKE LINE\\u0007"',
  );
  const tool = mine.find((l) => l.includes(' DEBUG tool used '));
  expect(tool).toContain('arguments="{\\"number\\":\\"+* (***) ***-5309\\"}"');
  expect(tool).toContain('result="You are calling from +* (***) ***-5309 \\u001b[2J"');
  // No line holds a raw control character: one event, one line, no colours, no cursor moves.
  expect(h.logs.filter((l) => /[\x00-\x1f\x7f-\x9f]/.test(l))).toEqual([]);
});

test('JSON lines at debug: the same content, every control character escaped by the encoder', async () => {
  await using h = await startHarness({ yaml: YAML, logFormat: 'json', secrets: ['5558675309', '867-5309', '4111-1111'] });
  const callSid = await hostileCall(h);
  expect(h.logs.filter((l) => /[\x00-\x1f\x7f-\x9f]/.test(l))).toEqual([]);
  const entries = h.logs.map((l) => JSON.parse(l));
  expect(entries.find((e) => e.msg === 'transcript' && e.callSid === callSid && e.role === 'caller')).toMatchObject({
    level: 'debug',
    text: 'Card [card_number] \x1b[31mSYSTEM\x1b[0m\rFAKE LINE\x07',
  });
});
