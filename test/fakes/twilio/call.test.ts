// FakeCall's media stream, against the stand-in switchboard.
import { describe, expect, test } from 'bun:test';
import { getExpectedTwilioSignature } from 'twilio/lib/webhooks/webhooks';
import { concatBytes } from '../bytes.ts';
import { patternBytes } from '../pattern-bytes.ts';
import { FakeTwilio } from './fake-twilio.ts';
import { PUBLIC, STREAM_URL, TOKEN, TWIML, startStub } from './switchboard-stub.ts';
import { parseTwiml } from './twiml.ts';

const bytes = (n: number, seed = 0) => patternBytes(n, 7, seed);
const b64 = (u: Uint8Array) => Buffer.from(u).toString('base64');

describe('FakeTwilio calls', () => {
  test('signed upgrade, connected + start like Twilio, media with timestamps, dtmf, stop', async () => {
    await using stub = await startStub();
    await using twilio = new FakeTwilio({ serverUrl: stub.url, publicUrl: PUBLIC, authToken: TOKEN });
    const call = await twilio.call({ params: { From: '+15550001111' } });
    const peer = () => stub.peers[0];
    await stub.peerMessage(peer, 'start');
    const p = peer()!;
    expect(p.ws.data.headers['x-twilio-signature']).toBe(getExpectedTwilioSignature(TOKEN, STREAM_URL, {}));
    expect(p.messages[0]).toEqual({ event: 'connected', protocol: 'Call', version: '1.0.0' });
    expect(p.messages[1]).toEqual({
      event: 'start',
      sequenceNumber: '1',
      streamSid: call.streamSid,
      start: {
        accountSid: twilio.accountSid,
        streamSid: call.streamSid,
        callSid: call.callSid,
        tracks: ['inbound'],
        customParameters: { agent: 'greeter', token: `a"b<c>d'e&f` },
        mediaFormat: { encoding: 'audio/x-mulaw', sampleRate: 8000, channels: 1 },
      },
    });
    expect(call.callSid).toBe(stub.requests[0]!.params['CallSid']!);
    expect(call.streamSid).toMatch(/^MZ[0-9a-f]{32}$/);

    const audio = bytes(400);
    expect(await call.sendAudio(audio)).toBe(3); // 160 + 160 + 80
    call.skipMs(100); // Twilio skipped silent frames
    call.sendMedia(bytes(160, 1));
    call.sendDtmf('5');
    await stub.peerMessage(peer, 'dtmf');
    const media = p.messages.filter((m) => m.event === 'media');
    expect(media.map((m) => [m.sequenceNumber, m.media.chunk, m.media.timestamp, m.media.track])).toEqual([
      ['2', '1', '0', 'inbound'],
      ['3', '2', '20', 'inbound'],
      ['4', '3', '40', 'inbound'],
      ['5', '4', '150', 'inbound'],
    ]);
    expect(media.every((m) => m.streamSid === call.streamSid)).toBe(true);
    expect(concatBytes(media.slice(0, 3).map((m) => new Uint8Array(Buffer.from(m.media.payload, 'base64'))))).toEqual(audio);
    expect(p.messages.at(-1)).toEqual({
      event: 'dtmf',
      streamSid: call.streamSid,
      sequenceNumber: '6',
      dtmf: { track: 'inbound_track', digit: '5' },
    });

    const closed = await call.hangup();
    expect(closed.code).toBe(1000);
    const stop = await stub.peerMessage(peer, 'stop');
    expect(stop).toEqual({
      event: 'stop',
      sequenceNumber: '7',
      streamSid: call.streamSid,
      stop: { accountSid: twilio.accountSid, callSid: call.callSid },
    });
    expect((await p.closed).code).toBe(1000);
    expect(call.protocolViolations).toEqual([]);
  });

  test('receives media, echoes marks after the audio (instant), counts clears, flags violations', async () => {
    await using stub = await startStub();
    await using twilio = new FakeTwilio({ serverUrl: stub.url, publicUrl: PUBLIC, authToken: TOKEN });
    const call = await twilio.call();
    await stub.peerMessage(() => stub.peers[0], 'start');
    const p = stub.peers[0]!;
    const send = (m: object) => p.ws.send(JSON.stringify(m));
    const S = call.streamSid;
    send({ event: 'media', streamSid: S, media: { payload: b64(bytes(160, 3)) } });
    send({ event: 'mark', streamSid: S, mark: { name: 'm1' } });
    send({ event: 'media', streamSid: S, media: { payload: b64(bytes(100, 4)) } });
    send({ event: 'mark', streamSid: S, mark: { name: 'm2' } });
    send({ event: 'clear', streamSid: S });
    await call.waitForAudioBytes(260);
    await call.waitFor((m) => m.event === 'clear');
    expect(call.receivedAudio()).toEqual(concatBytes([bytes(160, 3), bytes(100, 4)]));
    expect(call.heardAudio()).toEqual(call.receivedAudio());
    expect(call.marks).toEqual(['m1', 'm2']);
    expect(call.clears).toBe(1);
    const echoes = await stub.until(() => {
      const marks = p.messages.filter((m) => m.event === 'mark');
      return marks.length === 2 ? marks : undefined;
    }, 'two mark echoes');
    expect(echoes.map((m) => m.mark.name)).toEqual(['m1', 'm2']);
    expect(echoes.every((m) => m.streamSid === S && typeof m.sequenceNumber === 'string')).toBe(true);
    expect(call.protocolViolations).toEqual([]);

    // What real Twilio would not accept:
    send({ event: 'media', streamSid: 'MZwrong', media: { payload: b64(bytes(2)) } });
    send({ event: 'media', streamSid: S, media: { payload: 'not base64!' } });
    send({ event: 'play', streamSid: S });
    p.ws.send('hello');
    p.ws.send(new Uint8Array([1, 2, 3]));
    send({ event: 'mark', streamSid: S, mark: {} });
    await call.waitFor((m) => m.event === 'mark' && m.mark?.name === undefined);
    expect(call.protocolViolations).toHaveLength(6);
    expect(call.protocolViolations[0]).toContain('MZwrong');
    expect(call.protocolViolations[1]).toContain('not base64');
    expect(call.protocolViolations[2]).toContain('unknown event "play"');
    expect(call.protocolViolations[3]).toContain('non-JSON');
    expect(call.protocolViolations[4]).toContain('binary');
    expect(call.protocolViolations[5]).toContain('mark without a string name');
  });

  test('realtime playback: a mark comes back when its audio has played; clear cuts audio and returns pending marks', async () => {
    await using stub = await startStub();
    await using twilio = new FakeTwilio({ serverUrl: stub.url, publicUrl: PUBLIC, authToken: TOKEN, playback: 'realtime' });
    const call = await twilio.call();
    await stub.peerMessage(() => stub.peers[0], 'start');
    const p = stub.peers[0]!;
    const send = (m: object) => p.ws.send(JSON.stringify(m));
    const S = call.streamSid;
    const markEcho = (name: string) =>
      stub.until(() => p.messages.find((m) => m.event === 'mark' && m.mark.name === name), `echo of ${name}`);

    const t0 = performance.now();
    send({ event: 'media', streamSid: S, media: { payload: b64(bytes(1600)) } }); // 200 ms
    send({ event: 'mark', streamSid: S, mark: { name: 'a' } });
    await markEcho('a');
    const elapsed = performance.now() - t0;
    expect(elapsed).toBeGreaterThanOrEqual(190);
    expect(call.heardAudio()).toEqual(bytes(1600));

    send({ event: 'media', streamSid: S, media: { payload: b64(bytes(8000, 1)) } }); // 1 s
    send({ event: 'mark', streamSid: S, mark: { name: 'b' } });
    await call.waitFor((m) => m.mark?.name === 'b');
    expect(call.bufferedMs).toBeGreaterThan(500);
    const t1 = performance.now();
    send({ event: 'clear', streamSid: S });
    await markEcho('b');
    expect(performance.now() - t1).toBeLessThan(500);
    expect(call.bufferedMs).toBe(0);
    const heard = call.heardAudio();
    expect(heard.byteLength).toBeLessThan(1600 + 8000);
    expect(call.receivedAudio().byteLength).toBe(9600);
    expect(call.markEchoes).toEqual(['a', 'b']);
  });

  test('autoMarks: false never echoes; sendMark echoes by hand', async () => {
    await using stub = await startStub();
    await using twilio = new FakeTwilio({ serverUrl: stub.url, publicUrl: PUBLIC, authToken: TOKEN });
    const call = await twilio.call({ autoMarks: false });
    await stub.peerMessage(() => stub.peers[0], 'start');
    const p = stub.peers[0]!;
    p.ws.send(JSON.stringify({ event: 'mark', streamSid: call.streamSid, mark: { name: 'x' } }));
    p.ws.send(JSON.stringify({ event: 'clear', streamSid: call.streamSid }));
    await call.waitFor((m) => m.event === 'clear');
    expect(call.markEchoes).toEqual([]);
    call.sendMark('x');
    expect((await stub.peerMessage(() => p, 'mark')).mark.name).toBe('x');
  });

  test('a refused upgrade rejects call(); upgrade() reports the status', async () => {
    await using stub = await startStub();
    const twilio = new FakeTwilio({ serverUrl: stub.url, publicUrl: PUBLIC, authToken: TOKEN });
    await expect(twilio.call({ signUpgrade: false })).rejects.toThrow(/did not open.*403/);
    await expect(twilio.call({ headers: { 'X-Twilio-Signature': 'forged' } })).rejects.toThrow(/403/);
    expect((await twilio.upgrade()).status).toBe(101);
    const refused = await twilio.upgrade({ sign: false });
    expect(refused.status).toBe(403);
    expect(refused.body).toBe('bad signature');
    expect((await twilio.upgrade({ headers: { 'X-Twilio-Signature': 'forged' } })).status).toBe(403);
  });

  test('given TwiML skips the webhook; stream URL problems are violations; requestAction is signed', async () => {
    await using stub = await startStub();
    await using twilio = new FakeTwilio({ serverUrl: stub.url, publicUrl: PUBLIC, authToken: TOKEN });
    const twiml = parseTwiml(TWIML);
    const call = await twilio.call({ twiml, params: { CallSid: 'CA00000000000000000000000000000001' } });
    expect(stub.requests).toHaveLength(0);
    expect(call.callSid).toBe('CA00000000000000000000000000000001');
    expect(call.protocolViolations).toEqual([]);
    await call.hangup();
    const action = await call.requestAction();
    expect(action.status).toBe(200);
    expect(action.twiml?.verbs).toEqual(['Hangup']);
    expect(stub.requests[0]!.path).toBe('/call-ended?x=1&y=2');
    expect(stub.requests[0]!.params).toMatchObject({ CallSid: call.callSid, CallStatus: 'in-progress' });

    // A stream URL built from the wrong host (e.g. from Host/X-Forwarded-Host) is flagged.
    const wrong = parseTwiml(TWIML.replace(STREAM_URL, 'ws://127.0.0.1:9/media-stream?x=1'));
    const other = new FakeTwilio({ serverUrl: stub.url, publicUrl: PUBLIC, authToken: TOKEN });
    await expect(other.call({ twiml: wrong })).rejects.toThrow(/did not open/);
    expect(other.calls[0]!.protocolViolations).toEqual([
      'stream URL is not wss://: ws://127.0.0.1:9/media-stream?x=1',
      'stream URL host 127.0.0.1:9 is not the public host voice.example.com',
      'stream URL has a query string (use <Parameter>): ws://127.0.0.1:9/media-stream?x=1',
    ]);
  });

  test('the server closing the socket resolves closed; waits reject with what was seen', async () => {
    await using stub = await startStub();
    await using twilio = new FakeTwilio({ serverUrl: stub.url, publicUrl: PUBLIC, authToken: TOKEN });
    const call = await twilio.call();
    await stub.peerMessage(() => stub.peers[0], 'start');
    const waiting = call.waitForAudioBytes(1);
    const timedOut = await call.waitFor((m) => m.event === 'clear', 20).catch((e: Error) => e);
    expect(String(timedOut)).toMatch(/timed out after 20ms.*Received: \(none\)/);
    stub.peers[0]!.ws.close(1000, 'handoff');
    expect(await call.waitForClose()).toEqual({ code: 1000, reason: 'handoff' });
    await expect(waiting).rejects.toThrow(/stream closed \(1000\) without 1 bytes of audio/);
    expect(call.isOpen).toBe(false);
    expect(() => call.sendMedia(bytes(160))).toThrow(/closed/);
  });
});
