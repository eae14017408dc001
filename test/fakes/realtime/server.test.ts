// The fake Realtime server's connection handling (refusals, delays, session hand-out, closes),
// driven by the SDK's own WebSocket transport.
import { describe, expect, test } from 'bun:test';
import { OpenAIRealtimeWebSocket } from '@openai/agents/realtime';
import { concatBytes } from '../bytes.ts';
import { bytes, connectSdk, once } from './sdk-client.ts';
import { startFakeRealtime } from './server.ts';

describe('fake realtime server: connection handling', () => {
  test('refuse: 401 makes the SDK connect reject, with no session', async () => {
    await using fake = await startFakeRealtime({ refuse: 401 });
    const rt = new OpenAIRealtimeWebSocket();
    const connecting = rt.connect({ apiKey: 'sk-test', url: fake.url + '?model=gpt-realtime' });
    await expect(connecting).rejects.toThrow(/401/);
    expect(fake.upgradeAttempts).toBe(1);
    expect(fake.sessions).toHaveLength(0);
    expect(rt.status).toBe('disconnected');

    // Refusal can be lifted mid-test (e.g. to test a reconnect).
    fake.refuse = undefined;
    await using sdk = await connectSdk(fake);
    expect(sdk.session.isOpen).toBe(true);
    expect(fake.upgradeAttempts).toBe(2);
  });

  test('apiKey option refuses a wrong key like the real API', async () => {
    await using fake = await startFakeRealtime({ apiKey: 'sk-right' });
    const rt = new OpenAIRealtimeWebSocket();
    await expect(rt.connect({ apiKey: 'sk-wrong', url: fake.url })).rejects.toThrow(/401/);
  });

  test('connectDelayMs delays the upgrade', async () => {
    await using fake = await startFakeRealtime({ connectDelayMs: 200 });
    const started = performance.now();
    await using sdk = await connectSdk(fake);
    expect(performance.now() - started).toBeGreaterThanOrEqual(190);
    expect(sdk.session.isOpen).toBe(true);
  });

  test('nextSession hands out sessions in order, already accepted or future', async () => {
    await using fake = await startFakeRealtime({ autoSessionCreated: false });
    const a = new OpenAIRealtimeWebSocket();
    const b = new OpenAIRealtimeWebSocket();
    try {
      await a.connect({ apiKey: 'sk-a', url: fake.url + '?model=m1' });
      const pending = fake.nextSession();
      const second = fake.nextSession();
      expect((await pending).headers['authorization']).toBe('Bearer sk-a');
      await b.connect({ apiKey: 'sk-b', url: fake.url + '?model=m2' });
      const s2 = await second;
      expect(s2.model).toBe('m2');
      expect(s2.sent).toEqual([]); // autoSessionCreated: false
      expect(fake.sessions).toHaveLength(2);
      expect(fake.openCount).toBe(2);
      await expect(fake.nextSession(30)).rejects.toThrow(/no new session within 30ms/);
    } finally {
      a.close();
      b.close();
    }
  });

  test('waitFor rejects with the event types seen so far', async () => {
    await using fake = await startFakeRealtime();
    await using sdk = await connectSdk(fake);
    await sdk.session.waitFor('session.update');
    const error = await sdk.session.waitFor('input_audio_buffer.append', undefined, 30).catch((e: Error) => e);
    expect(String(error)).toMatch(/timed out after 30ms waiting for client event "input_audio_buffer.append"/);
    expect(String(error)).toContain('session.update');
  });

  test('input audio is decoded and concatenated; autoRespond: false lets a test answer', async () => {
    await using fake = await startFakeRealtime({ autoRespond: false });
    await using sdk = await connectSdk(fake);
    const { rt, session } = sdk;
    rt.sendAudio(bytes(160, 1).buffer as ArrayBuffer);
    rt.sendAudio(bytes(100, 2).buffer as ArrayBuffer);
    await session.waitFor('input_audio_buffer.append', () => session.eventsOf('input_audio_buffer.append').length === 2);
    expect(session.audio()).toEqual(concatBytes([bytes(160, 1), bytes(100, 2)]));

    const turnDone = once<any>((l) => rt.on('turn_done', l));
    rt.sendMessage('hello', {});
    const create = await session.waitFor('response.create');
    const { responseId } = await session.speak(bytes(160));
    expect((await turnDone).response.id).toBe(responseId);
    expect(session.responses.at(-1)?.request).toEqual(create);
  });

  test('a session closed by the client resolves closed and rejects pending waits', async () => {
    await using fake = await startFakeRealtime();
    const rt = new OpenAIRealtimeWebSocket();
    await rt.connect({ apiKey: 'sk-test', url: fake.url });
    const session = await fake.nextSession();
    const waiting = session.waitFor('response.create', undefined, 5000);
    rt.close();
    await session.closed;
    await expect(waiting).rejects.toThrow(/session closed/);
    expect(fake.openCount).toBe(0);
  });
});
