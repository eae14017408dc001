// Call control on the wire: routing by the called number, call facts in what the model is told,
// and the agent speaking first.
import { expect, test } from 'bun:test';
import { callStarted, eventually, liveCall, pattern, startHarness } from '../harness.ts';

const ROUTED = `
entry: front
numbers:
  "+15550002222": sales
agents:
  front: { instructions: "Front desk. The caller is {{call.from}}, calling {{call.to}} ({{call.direction}}, {{call.sid}}).", say: "Hello {{call.from}}" }
  sales: { instructions: "Sales for {{call.to}}.", first_message: "Thanks for calling sales at {{call.to}}!" }
`;

test('the called number picks the agent; others go to entry; facts reach the instructions and <Say>', async () => {
  await using h = await startHarness({ yaml: ROUTED });
  const sales = await liveCall(h, { params: { To: '+15550002222', From: '+15557654321' } });
  expect(sales.update.session.instructions).toBe('Sales for +15550002222.');
  await sales.call.hangup();

  const front = await liveCall(h, { params: { To: '+15550009999', From: '+15557654321' } });
  expect(front.update.session.instructions).toBe(
    `Front desk. The caller is +15557654321, calling +15550009999 (inbound, ${front.call.callSid}).`,
  );
  await front.call.hangup();
  const webhook = await h.twilio.webhook({ To: '+15550009999', From: '+15551112222' });
  expect(webhook.body).toContain('<Say>Hello +15551112222</Say>');
  expect(webhook.body).toContain('<Parameter name="agent" value="front"/>');
  // The caller's number reaches the model, never a log line.
  expect(h.logs.join('\n')).not.toContain('5557654321');
});

test('the agent is the one the webhook chose: a stream that names another is refused', async () => {
  await using h = await startHarness({ yaml: ROUTED });
  const webhook = await h.twilio.webhook({ To: '+15550009999' });
  const params = webhook.twiml!.parameters;
  expect(params.agent).toBe('front');
  const call = await h.twilio.call({ twiml: webhook.twiml, params: { CallSid: webhook.params.CallSid }, customParameters: { ...params, agent: 'sales' } });
  expect((await call.closed).code).toBe(1008);
  expect(h.logs.some((l) => l.includes('stream refused: stream token') && l.includes('result=invalid'))).toBe(true);
});

test('first_message: a response is requested as soon as the stream starts, before any caller audio, on the pre-warmed session', async () => {
  await using h = await startHarness({ yaml: ROUTED });
  const { call, upstream } = await liveCall(h, { params: { To: '+15550002222' } });
  const request = await upstream.waitFor('response.create');
  expect(request.response.instructions).toBe('Greet the caller by saying exactly this, and nothing else: "Thanks for calling sales at +15550002222!"');
  // Before any caller audio: nothing was appended yet, and the session was pre-warmed.
  expect(upstream.eventsOf('input_audio_buffer.append')).toHaveLength(0);
  expect(upstream.eventsOf('session.update').length).toBeGreaterThan(0);
  expect(h.logs.find((l) => l.includes('upstream ready') && l.includes(call.callSid))).toContain('prewarmed=true');
  await call.hangup();
});

test('the greeting is spoken in the agent’s voice to the caller, in order', async () => {
  await using h = await startHarness({
    yaml: ROUTED,
    realtime: { onResponseCreate: (event, session) => void (event.response?.instructions?.startsWith('Greet') && session.speak(pattern(1600, 9))) },
  });
  const { call } = await liveCall(h, { params: { To: '+15550002222' } });
  await call.waitForAudioBytes(1600);
  expect(call.receivedAudio().slice(0, 1600)).toEqual(pattern(1600, 9));
  await eventually(() => h.logs.some((l) => l.includes('call started')), 1000, 'started');
  await call.hangup();
});
