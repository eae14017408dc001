// The fake Realtime session, proven against the SDK's own WebSocket transport: if the SDK parses
// what the fake sends, tests that drive switchboard through it are testing something real.
import { describe, expect, test } from 'bun:test';
import type { TransportToolCallEvent } from '@openai/agents/realtime';
import { concatBytes } from '../bytes.ts';
import { bytes, connectSdk, expectCleanExchange, once, PCMU } from './sdk-client.ts';
import { startFakeRealtime } from './server.ts';

describe('fake realtime server with the SDK OpenAIRealtimeWebSocket', () => {
  test('captures headers and URL, records session.update and echoes the merged session', async () => {
    await using fake = await startFakeRealtime();
    await using sdk = await connectSdk(fake);
    const { session } = sdk;

    expect(session.headers['authorization']).toBe('Bearer sk-test');
    expect(session.authorization).toBe('Bearer sk-test');
    expect(session.url).toBe('/v1/realtime?model=gpt-realtime');
    expect(session.model).toBe('gpt-realtime');
    expect(fake.openCount).toBe(1);
    expect(fake.upgradeAttempts).toBe(1);

    const update = await session.waitFor('session.update', (e) => e.session?.audio !== undefined);
    expect(update.session.type).toBe('realtime');
    expect(update.session.audio.output.format).toEqual(PCMU);
    // The SDK also turns tracing on in reply to session.created.
    await session.waitFor('session.update', (e) => e.session?.tracing === 'auto');

    expect(session.session.audio.output.format).toEqual(PCMU);
    expect(session.session.audio.input.format).toEqual(PCMU);
    expect(session.session.audio.input.turn_detection.type).toBe('semantic_vad');
    expect(session.session.audio.input.turn_detection.interrupt_response).toBe(true);
    expect(session.sent.filter((e: any) => e.type === 'session.updated').length).toBe(session.eventsOf('session.update').length);
    expectCleanExchange(session);
  });

  test('speak(): deltas arrive as SDK audio events byte-for-byte, then the turn completes', async () => {
    await using fake = await startFakeRealtime();
    await using sdk = await connectSdk(fake);
    const { rt, session } = sdk;
    await session.waitFor('session.update', (e) => e.session?.audio !== undefined);

    const received: Uint8Array[] = [];
    const responseIds = new Set<string>();
    rt.on('audio', (e) => {
      received.push(new Uint8Array(e.data));
      responseIds.add(e.responseId);
    });
    const transcripts: string[] = [];
    rt.on('audio_transcript_delta', (e) => transcripts.push(e.delta));
    const turnDone = once<any>((l) => rt.on('turn_done', l));
    const audioDone = once<void>((l) => rt.on('audio_done', () => l()));

    const audio = bytes(1000, 7); // 6 full 160-byte chunks and a 40-byte tail
    const { responseId, itemId, cancelled } = await session.speak(audio, { transcript: 'Hello caller' });
    const done = await turnDone;
    await audioDone;

    expect(cancelled).toBe(false);
    expect(received.map((c) => c.byteLength)).toEqual([160, 160, 160, 160, 160, 160, 40]);
    expect(concatBytes(received)).toEqual(audio);
    expect([...responseIds]).toEqual([responseId]);
    expect(transcripts).toEqual(['Hello caller']);
    expect(done.response.id).toBe(responseId);
    expect(done.response.output[0]).toMatchObject({ id: itemId, type: 'message', role: 'assistant', status: 'completed' });
    expect(session.responses.at(-1)?.status).toBe('completed');
    expectCleanExchange(session);
  });

  test('callTool(): the SDK emits one function_call; its output and response.create are recorded', async () => {
    await using fake = await startFakeRealtime();
    await using sdk = await connectSdk(fake);
    const { rt, session } = sdk;

    const calls: TransportToolCallEvent[] = [];
    rt.on('function_call', (e) => calls.push(e));
    const turnDone = once<any>((l) => rt.on('turn_done', l));
    const args = { city: 'Zürich & "Bern"', days: 3 };
    const { callId, responseId, itemId } = await session.callTool('get_weather', args);
    await turnDone;

    expect(calls).toHaveLength(1); // output_item.added is in_progress, so the tool runs once
    expect(calls[0]).toMatchObject({ name: 'get_weather', callId, responseId, id: itemId });
    expect(JSON.parse(calls[0]!.arguments)).toEqual(args);

    // The SDK answers with the function output, then asks for a response; the fake auto-answers.
    const nextTurn = once<any>((l) => rt.on('turn_done', l));
    rt.sendFunctionCallOutput(calls[0]!, '{"temp":21}', true);
    const output = await session.waitFor('conversation.item.create', (e) => e.item?.type === 'function_call_output');
    expect(output.item).toMatchObject({ call_id: callId, output: '{"temp":21}' });
    const create = await session.waitFor('response.create');
    const auto = await nextTurn;
    expect(session.responses.at(-1)?.request).toEqual(create);
    expect(auto.response.output).toEqual([]);
    expectCleanExchange(session);
  });

  test('barge-in: speechStarted cancels an open response and the SDK truncates what was sent', async () => {
    await using fake = await startFakeRealtime();
    await using sdk = await connectSdk(fake);
    const { rt, session } = sdk;
    await session.waitFor('session.update', (e) => e.session?.audio !== undefined);

    const interrupted = once<void>((l) => rt.on('audio_interrupted', () => l()));
    const turnDone = once<any>((l) => rt.on('turn_done', l));
    const firstAudio = once<void>((l) => rt.on('audio', () => l()));
    const { itemId, responseId } = await session.speak(bytes(8000), { done: false }); // 1 s of mu-law
    expect(session.activeResponseId).toBe(responseId);
    await firstAudio;

    const userItem = session.speechStarted();
    await interrupted;
    const truncate = await session.waitFor('conversation.item.truncate');
    expect(truncate.item_id).toBe(itemId);
    expect(truncate.audio_end_ms).toBeGreaterThanOrEqual(0);
    expect(truncate.audio_end_ms).toBeLessThanOrEqual(1000);
    const done = await turnDone;
    expect(done.response.id).toBe(responseId);
    expect(session.responses.at(-1)?.status).toBe('cancelled');
    expect(session.activeResponseId).toBeNull();

    // After the cancelled response the SDK may create a new one: the sequencer is free again.
    session.speechStopped();
    const nextTurn = once<any>((l) => rt.on('turn_done', l));
    rt.sendMessage('are you there?', {});
    await session.waitForNext('response.create');
    await nextTurn;
    expect(typeof userItem).toBe('string');
    expectCleanExchange(session);
  });

  test('speak({ done: false }) can be continued and finished; response.cancel ends it as cancelled', async () => {
    await using fake = await startFakeRealtime();
    await using sdk = await connectSdk(fake);
    const { rt, session } = sdk;
    const received: Uint8Array[] = [];
    rt.on('audio', (e) => received.push(new Uint8Array(e.data)));

    const first = await session.speak(bytes(320, 1), { done: false });
    const second = await session.speak(bytes(160, 2), { done: false });
    expect(second).toEqual(first);
    const turnDone = once<any>((l) => rt.on('turn_done', l));
    session.finishResponse();
    await turnDone;
    expect(concatBytes(received)).toEqual(concatBytes([bytes(320, 1), bytes(160, 2)]));

    // A client cancel of an open, paced response stops the deltas.
    const pacedAudio = once<void>((l) => rt.on('audio', () => l()));
    const paced = session.speak(bytes(160 * 50), { pace: 'realtime' });
    await pacedAudio;
    const cancelledTurn = once<any>((l) => rt.on('turn_done', l));
    rt.sendEvent({ type: 'response.cancel' });
    const result = await paced;
    expect(result.cancelled).toBe(true);
    expect((await cancelledTurn).response.id).toBe(result.responseId);
    expect(session.responses.at(-1)?.status).toBe('cancelled');
    expectCleanExchange(session);
  });

  test('sendError reaches the SDK error event; drop() disconnects it', async () => {
    await using fake = await startFakeRealtime();
    await using sdk = await connectSdk(fake);
    const { rt, session } = sdk;

    const error = once<any>((l) => rt.on('error', l));
    session.sendError('session_expired', 'Your session hit the maximum duration of 60 minutes.');
    const e = await error;
    expect(e.error.error.code).toBe('session_expired');

    const disconnected = once<string>((l) => rt.on('connection_change', (s) => s === 'disconnected' && l(s)));
    session.drop();
    await session.closed;
    await disconnected;
    expect(session.isOpen).toBe(false);
    expect(rt.status).toBe('disconnected');
    expect(fake.openCount).toBe(0);
  });

  test('protocol complaints: unknown event types and bad truncations get the real API errors', async () => {
    await using fake = await startFakeRealtime();
    await using sdk = await connectSdk(fake);
    const { rt, session } = sdk;
    const { itemId } = await session.speak(bytes(800)); // 100 ms
    rt.sendEvent({ type: 'conversation.item.truncate', item_id: itemId, content_index: 0, audio_end_ms: 250 });
    rt.sendEvent({ type: 'no.such.event' } as any);
    await session.waitFor('no.such.event');
    expect(session.errorsSent.map((e) => e.error.code)).toEqual(['invalid_value', 'invalid_value']);
    expect(session.errorsSent[0].error.message).toContain('100ms');
  });
});
