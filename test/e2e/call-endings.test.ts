// The agent ends the call: hang_up and transfer take effect only once the agent's last words have
// been played to the caller (Twilio echoed the mark sent behind them), then /call-ended says what
// Twilio does next.
import { expect, test } from 'bun:test';
import { eventually, liveCall, pattern, startHarness, type Harness } from '../harness.ts';
import { FAREWELL_MARK } from '../../src/call/farewell.ts';

const YAML = `
agents:
  desk:
    instructions: Help, then hang up or transfer.
    tools: [hang_up, transfer_call, to_support]
tools:
  transfer_call:
    transfer:
      to:
        - { number: "+15550001111", description: Billing }
        - { number: "sip:support@example.com", description: Support }
      caller_id: "+15550009999"
      timeout_seconds: 20
      record: true
  to_support:
    transfer: { to: "+15550003333", announce: "Putting you through to support." }
`;

/** The model answers every response request with `goodbye` audio. */
const speaking = (goodbye: Uint8Array) => ({
  onResponseCreate: (_event: unknown, session: { speak(a: Uint8Array): unknown }) => void session.speak(goodbye),
});

async function farewellMark(call: Awaited<ReturnType<typeof liveCall>>['call']) {
  return call.waitFor((m) => m.event === 'mark' && m.mark?.name === FAREWELL_MARK);
}

async function endedWith(h: Harness, callSid: string) {
  await eventually(() => h.logs.some((l) => l.includes('call ended') && l.includes(callSid)), 3000, 'call ended');
  return h.logs.find((l) => l.includes('call ended') && l.includes(callSid))!;
}

test('hang_up: the goodbye plays, its mark comes back, then the stream closes and /call-ended hangs up', async () => {
  const goodbye = pattern(1600, 5);
  await using h = await startHarness({ yaml: YAML, realtime: speaking(goodbye) });
  const { call, upstream } = await liveCall(h, { autoMarks: false });
  const { callId } = await upstream.callTool('hang_up', {});
  const output = await upstream.waitFor('conversation.item.create', (e) => e.item?.call_id === callId);
  expect(output.item.output).toContain('Say a short goodbye now');

  await call.waitForAudioBytes(1600);
  await farewellMark(call);
  // Sent, not yet heard: the call stays up until Twilio says the audio before the mark played.
  expect(call.isOpen).toBe(true);
  call.sendMark(FAREWELL_MARK);
  expect((await call.closed).code).toBe(1000);
  expect(await endedWith(h, call.callSid)).toContain('reason=agent_hangup');
  expect(call.receivedAudio()).toEqual(goodbye);
  const action = await call.requestAction();
  expect(action.twiml?.verbs).toEqual(['Hangup']);
});

test('hang_up with a lost mark: the bound ends the call anyway', async () => {
  await using h = await startHarness({ yaml: YAML, realtime: speaking(pattern(160, 1)), timings: { farewellMaxMs: 300 } });
  const { call, upstream } = await liveCall(h, { autoMarks: false });
  await upstream.callTool('hang_up', {});
  await farewellMark(call);
  await call.closed;
  expect(await endedWith(h, call.callSid)).toContain('reason=agent_hangup');
});

test('transfer_call: the model picks from the list; after the announcement plays, /call-ended dials it', async () => {
  await using h = await startHarness({ yaml: YAML, realtime: speaking(pattern(800, 2)) });
  const { call, upstream, update } = await liveCall(h);
  const tool = update.session.tools.find((t: { name?: string }) => t.name === 'transfer_call');
  expect(tool.description).toBe('Transfer the caller to one of: +15550001111 (Billing); sip:support@example.com (Support).');

  const { callId } = await upstream.callTool('transfer_call', { to: 'sip:support@example.com' });
  const output = await upstream.waitFor('conversation.item.create', (e) => e.item?.call_id === callId);
  expect(output.item.output).toStartWith('Transferring the caller to sip:support@example.com');
  await call.closed;
  expect(await endedWith(h, call.callSid)).toContain('reason=transferred');
  const action = await call.requestAction();
  expect(action.body).toContain('<Dial callerId="+15550009999" timeout="20" record="record-from-answer"><Sip>sip:support@example.com</Sip></Dial>');
});

test('transfer_call refuses a number outside the list, back to the model, and the call goes on', async () => {
  await using h = await startHarness({ yaml: YAML });
  const { call, upstream } = await liveCall(h);
  const { callId } = await upstream.callTool('transfer_call', { to: '+19005550000' });
  const output = await upstream.waitFor('conversation.item.create', (e) => e.item?.call_id === callId);
  expect(output.item.output).toBe(
    'Cannot transfer to +19005550000: it is not an allowed target. Allowed: +15550001111 (Billing); sip:support@example.com (Support).',
  );
  await call.sendAudio(pattern(160, 3));
  await eventually(() => upstream.audio().length >= 160, 2000, 'the call goes on');
  expect(call.isOpen).toBe(true);
  await call.hangup();
});

test('a fixed transfer with an announcement: the model is told what to say; /call-ended dials the number', async () => {
  await using h = await startHarness({ yaml: YAML, realtime: speaking(pattern(320, 4)) });
  const { call, upstream } = await liveCall(h);
  const { callId } = await upstream.callTool('to_support', {});
  const output = await upstream.waitFor('conversation.item.create', (e) => e.item?.call_id === callId);
  expect(output.item.output).toBe('Transferring the caller to +15550003333 as soon as you have finished speaking. Say exactly this, and nothing else: "Putting you through to support."');
  await call.closed;
  expect((await call.requestAction()).body).toContain('<Dial timeout="30"><Number>+15550003333</Number></Dial>');
});
