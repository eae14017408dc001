// Both fakes around the SDK's own TwilioRealtimeTransportLayer, bridged by a minimal server written
// here (not switchboard's): proves the fakes agree with what the transport sends and expects
// (audio both ways, marks, clear + truncate on barge-in, close propagation).
import { expect, test } from 'bun:test';
import type { ServerWebSocket } from 'bun';
import { TwilioRealtimeTransportLayer } from '@openai/agents-extensions';
import { patternBytes } from './pattern-bytes.ts';
import { startFakeRealtime } from './realtime-server.ts';
import { FakeTwilio, parseTwiml } from './twilio-caller.ts';

type Listener = (event: { data?: string; code?: number; reason?: string }) => void;

/** The WebSocket surface the transport calls, over Bun's ServerWebSocket. */
class Adapter {
  readonly listeners: Record<string, Listener[]> = { message: [], close: [], error: [] };
  constructor(readonly ws: ServerWebSocket<{ adapter?: Adapter }>) {}
  addEventListener(type: string, listener: Listener) {
    this.listeners[type]?.push(listener);
  }
  removeEventListener() {}
  send(data: string) {
    this.ws.send(data);
  }
  close() {
    this.ws.close();
  }
  emit(type: string, event: { data?: string; code?: number; reason?: string }) {
    for (const l of this.listeners[type] ?? []) l(event);
  }
}

function startBridge(realtimeUrl: string) {
  const transports: TwilioRealtimeTransportLayer[] = [];
  const server = Bun.serve<{ adapter?: Adapter }>({
    port: 0,
    hostname: '127.0.0.1',
    fetch(req, srv) {
      return srv.upgrade(req, { data: {} }) ? undefined : new Response('upgrade only', { status: 400 });
    },
    websocket: {
      open(ws) {
        const adapter = new Adapter(ws);
        ws.data.adapter = adapter;
        const transport = new TwilioRealtimeTransportLayer({ twilioWebSocket: adapter as unknown as WebSocket });
        transports.push(transport);
        void transport.connect({ apiKey: 'sk-test', url: realtimeUrl + '?model=gpt-realtime' });
      },
      message(ws, message) {
        ws.data.adapter?.emit('message', { data: String(message) });
      },
      close(ws, code, reason) {
        ws.data.adapter?.emit('close', { code, reason });
      },
    },
  });
  return {
    url: `http://127.0.0.1:${server.port}`,
    transports,
    async [Symbol.asyncDispose]() {
      for (const t of transports) t.close();
      await server.stop(true);
    },
  };
}

const TWIML = parseTwiml(
  '<Response><Connect><Stream url="wss://voice.example.com/media-stream"><Parameter name="agent" value="greeter"/></Stream></Connect></Response>',
);

const bytes = (n: number, seed = 0) => patternBytes(n, 13, seed);

test('caller audio reaches the model, model audio reaches the caller with marks echoed', async () => {
  await using realtime = await startFakeRealtime();
  await using bridge = startBridge(realtime.url);
  await using twilio = new FakeTwilio({ serverUrl: bridge.url, publicUrl: 'https://voice.example.com' });
  const call = await twilio.call({ twiml: TWIML });
  const session = await realtime.nextSession();
  const update = await session.waitFor('session.update', (e) => e.session?.audio !== undefined);
  expect(update.session.audio.input.format).toEqual({ type: 'audio/pcmu' });
  expect(update.session.audio.output.format).toEqual({ type: 'audio/pcmu' });

  const spoken = bytes(1600, 1);
  await call.sendAudio(spoken);
  await session.waitFor('input_audio_buffer.append', () => session.audio().byteLength >= spoken.byteLength);
  expect(session.audio()).toEqual(spoken);

  const answer = bytes(3200, 2);
  const { itemId } = await session.speak(answer, { transcript: 'hello' });
  expect(await call.waitForAudioBytes(answer.byteLength)).toEqual(answer);
  // One mark per media message plus the done mark, each echoed back (instant playback).
  await call.waitFor((m) => m.event === 'mark' && String(m.mark.name).startsWith(`done:${itemId}`));
  expect(call.marks).toHaveLength(answer.byteLength / 160 + 1);
  expect(call.markEchoes).toEqual(call.marks);
  expect(call.protocolViolations).toEqual([]);
  expect(session.errorsSent).toEqual([]);

  await call.hangup();
  await session.closed;
  expect(realtime.openCount).toBe(0);
});

test('barge-in: speech_started makes the transport clear Twilio and truncate to what was played', async () => {
  await using realtime = await startFakeRealtime();
  await using bridge = startBridge(realtime.url);
  await using twilio = new FakeTwilio({ serverUrl: bridge.url, publicUrl: 'https://voice.example.com', playback: 'realtime' });
  const call = await twilio.call({ twiml: TWIML });
  const session = await realtime.nextSession();
  await session.waitFor('session.update', (e) => e.session?.audio !== undefined);

  const { itemId } = await session.speak(bytes(16000), { done: false }); // 2 s, still generating
  await call.waitForAudioBytes(16000);
  // Let some of it play: the first per-chunk mark echo proves 20 ms were heard.
  await call.waitUntil(() => call.markEchoes.length >= 1);
  session.speechStarted();
  await call.waitFor((m) => m.event === 'clear');
  const truncate = await session.waitFor('conversation.item.truncate');
  expect(truncate.item_id).toBe(itemId);
  expect(truncate.audio_end_ms).toBeGreaterThan(0);
  expect(truncate.audio_end_ms).toBeLessThan(2000);
  expect(call.clears).toBe(1);
  expect(call.bufferedMs).toBe(0);
  expect(call.heardAudio().byteLength).toBeLessThan(16000);
  expect(session.responses.at(-1)?.status).toBe('cancelled');
  expect(session.errorsSent).toEqual([]);
  expect(call.protocolViolations).toEqual([]);
});
