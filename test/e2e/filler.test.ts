// Waiting on the phone: a tool slower than filler_after_ms makes the agent say a filler (an
// out-of-band response), never while another response is open, and the tool's answer still comes
// after it, in order.
import { expect, test } from 'bun:test';
import { eventually, liveCall, pattern, startHarness } from '../harness.ts';
import { startHttpService } from '../fakes/http-service.ts';

const FILLER = pattern(480, 11);
const ANSWER = pattern(640, 99);

function yaml(service: string): string {
  return `
filler_after_ms: 150
filler_say: "One moment while I look that up."
agents:
  desk:
    instructions: Help.
    tools: [lookup, order]
tools:
  lookup:
    description: Slow lookup.
    parameters: { q: { type: string } }
    http: { url: "${service}/slow?q={{q}}" }
  order:
    description: Fast lookup.
    parameters: { id: { type: string } }
    http: { url: "${service}/orders/{{id}}" }
    filler_after_ms: 100
`;
}

/** The model speaks the filler for an out-of-band response.create, and its answer for any other. */
const model = {
  onResponseCreate: (event: any, session: { speak(a: Uint8Array): unknown }) =>
    void session.speak(event.response?.conversation === 'none' ? FILLER : ANSWER),
};

test('a slow tool: the filler waits for the open response, is spoken, and the answer follows in order', async () => {
  await using service = startHttpService();
  await using h = await startHarness({ yaml: yaml(service.origin), realtime: model });
  const { call, upstream } = await liveCall(h);

  // The response that called the tool stays open while the tool runs.
  const { callId } = await upstream.callTool('lookup', { q: 'parcel' }, { done: false });
  await service.arrived('/slow');
  await eventually(() => h.logs.some((l) => l.includes('tool filler') && l.includes('tool=lookup')), 3000, 'the filler to be due');
  // Due, but held back: a response.create now would be refused (conversation_already_has_active_response).
  await call.sendAudio(pattern(160, 1));
  await upstream.waitFor('input_audio_buffer.append');
  expect(upstream.eventsOf('response.create')).toEqual([]);

  upstream.finishResponse();
  const filler = await upstream.waitFor('response.create');
  expect(filler.response).toEqual({
    conversation: 'none',
    metadata: { switchboard: 'filler' },
    instructions: 'A tool you called is still running. Say exactly this, and nothing else: "One moment while I look that up."',
  });
  await call.waitForAudioBytes(FILLER.length);

  service.release();
  const output = await upstream.waitFor('conversation.item.create', (e) => e.item?.call_id === callId);
  expect(output.item.output).toBe('{"answer":"found it"}');
  const answer = await upstream.waitForNext('response.create');
  expect(answer.response?.conversation).toBeUndefined();
  await call.waitForAudioBytes(FILLER.length + ANSWER.length);
  // In order on the wire: filler request, tool output, answer request; and the caller heard them in that order.
  const order = [filler, output, answer].map((e) => upstream.events.indexOf(e));
  expect(order).toEqual([...order].sort((a, b) => a - b));
  expect(call.receivedAudio()).toEqual(new Uint8Array([...FILLER, ...ANSWER]));
  expect(upstream.errorsSent).toEqual([]);
  expect([...h.switchboard.calls][0]!.record.tools[0]!.durationMs).toBeGreaterThanOrEqual(150);
  await call.hangup();
});

test('a tool that answers within its filler_after_ms gets no filler', async () => {
  await using service = startHttpService();
  await using h = await startHarness({ yaml: yaml(service.origin), realtime: model });
  const { call, upstream } = await liveCall(h);

  const fast = await upstream.callTool('order', { id: 'A1' });
  await upstream.waitFor('conversation.item.create', (e) => e.item?.call_id === fast.callId);
  await call.waitForAudioBytes(ANSWER.length);
  // The slow tool's filler is due 150 ms after it starts: by then the fast tool's 100 ms are long past.
  await upstream.callTool('lookup', { q: 'x' });
  await eventually(() => h.logs.some((l) => l.includes('tool filler')), 3000, 'the slow tool\'s filler');
  expect(h.logs.filter((l) => l.includes('tool filler')).map((l) => /tool=(\w+)/.exec(l)?.[1])).toEqual(['lookup']);
  service.release();
  await call.hangup();
});
