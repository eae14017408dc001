// The fake Twilio, proven against the official `twilio` package (signatures) and against a small
// stand-in server written here (so these tests do not depend on switchboard's own code).
import { describe, expect, test } from 'bun:test';
import type { ServerWebSocket } from 'bun';
import { getExpectedTwilioSignature, validateRequest } from 'twilio/lib/webhooks/webhooks';
import { FakeTwilio, parseTwiml, parseXml, twilioSignature } from './twilio-caller.ts';
import { concatBytes } from './bytes.ts';

const TOKEN = '12345678901234567890123456789012';
const PUBLIC = 'https://voice.example.com';
const STREAM_URL = `${PUBLIC}/media-stream`.replace('https:', 'wss:');

// ---------------------------------------------------------------------------------------------
// A stand-in for switchboard: validates like it must, answers TwiML, speaks Media Streams.

interface StubRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  params: Record<string, string>;
}

interface StubPeer {
  ws: ServerWebSocket<{ headers: Record<string, string> }>;
  messages: any[];
  closed: Promise<{ code: number; reason: string }>;
  resolveClosed: (v: { code: number; reason: string }) => void;
}

type Listener = () => void;

const TWIML =
  '<?xml version="1.0" encoding="UTF-8"?>\n<Response>\n  <Say>Hi &amp; welcome</Say>\n' +
  `  <Connect action="${PUBLIC}/call-ended?x=1&amp;y=2">\n` +
  `    <Stream url="${STREAM_URL}">\n` +
  '      <Parameter name="agent" value="greeter"/>\n' +
  '      <Parameter value="a&quot;b&lt;c&gt;d&apos;e&amp;f" name="token" />\n' +
  '    </Stream>\n  </Connect>\n</Response>';

async function startStub() {
  const requests: StubRequest[] = [];
  const peers: StubPeer[] = [];
  const listeners = new Set<Listener>();
  const notify = () => {
    for (const l of [...listeners]) l();
  };
  const server = Bun.serve<{ headers: Record<string, string> }>({
    port: 0,
    hostname: '127.0.0.1',
    async fetch(req, srv) {
      const url = new URL(req.url);
      const headers: Record<string, string> = {};
      req.headers.forEach((v, k) => (headers[k] = v));
      if (url.pathname === '/media-stream') {
        // Twilio signs the upgrade over the public wss:// URL with no params.
        if (headers['x-twilio-signature'] !== getExpectedTwilioSignature(TOKEN, STREAM_URL, {})) {
          return new Response('bad signature', { status: 403 });
        }
        return srv.upgrade(req, { data: { headers } }) ? undefined : new Response('no upgrade', { status: 400 });
      }
      const params =
        req.method === 'POST' ? Object.fromEntries(new URLSearchParams(await req.text())) : Object.fromEntries(url.searchParams);
      requests.push({ method: req.method, path: url.pathname + url.search, headers, params });
      const signedUrl = PUBLIC + url.pathname + url.search;
      const ok = validateRequest(TOKEN, headers['x-twilio-signature'] ?? '', signedUrl, req.method === 'POST' ? params : {});
      if (!ok) return new Response('forbidden', { status: 403 });
      if (url.pathname === '/call-ended') {
        return new Response('<?xml version="1.0" encoding="UTF-8"?><Response><Hangup/></Response>', {
          headers: { 'content-type': 'text/xml' },
        });
      }
      return new Response(TWIML, { headers: { 'content-type': 'text/xml' } });
    },
    websocket: {
      open(ws) {
        let resolveClosed!: StubPeer['resolveClosed'];
        const closed = new Promise<{ code: number; reason: string }>((r) => (resolveClosed = r));
        peers.push({ ws, messages: [], closed, resolveClosed });
        notify();
      },
      message(ws, message) {
        peers.find((p) => p.ws === ws)?.messages.push(JSON.parse(String(message)));
        notify();
      },
      close(ws, code, reason) {
        peers.find((p) => p.ws === ws)?.resolveClosed({ code, reason });
      },
    },
  });
  /** Resolves when `check` returns a value (checked now and after every stub event). */
  const until = <T>(check: () => T | undefined, what: string, timeoutMs = 3000): Promise<T> =>
    new Promise((resolve, reject) => {
      const attempt = () => {
        const value = check();
        if (value === undefined) return;
        listeners.delete(attempt);
        clearTimeout(timer);
        resolve(value);
      };
      const timer = setTimeout(() => {
        listeners.delete(attempt);
        reject(new Error(`stub: timed out waiting for ${what}`));
      }, timeoutMs);
      listeners.add(attempt);
      attempt();
    });
  return {
    url: `http://127.0.0.1:${server.port}`,
    requests,
    peers,
    until,
    peerMessage: (peer: () => StubPeer | undefined, event: string) =>
      until(() => peer()?.messages.find((m) => m.event === event), `a "${event}" message`),
    async [Symbol.asyncDispose]() {
      await server.stop(true);
    },
  };
}

function bytes(n: number, seed = 0): Uint8Array {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = (i * 7 + seed) & 0xff;
  return out;
}

const b64 = (u: Uint8Array) => Buffer.from(u).toString('base64');

// ---------------------------------------------------------------------------------------------

describe('twilioSignature matches the twilio package', () => {
  const cases: Array<[string, string, Record<string, string | string[]>]> = [
    ['no params', `${PUBLIC}/incoming-call`, {}],
    ['upgrade URL', STREAM_URL, {}],
    [
      'a realistic webhook',
      `${PUBLIC}/incoming-call`,
      {
        CallSid: 'CA1234567890abcdef1234567890abcdef',
        AccountSid: 'AC1234567890abcdef1234567890abcdef',
        From: '+14155550100',
        To: '+14155550199',
        CallStatus: 'ringing',
        Direction: 'inbound',
        ApiVersion: '2010-04-01',
      },
    ],
    [
      'special characters',
      `${PUBLIC}/incoming-call?agent=front%20desk&x=1`,
      {
        Caller: 'Zoë & "Bob" <b@x>',
        Body: 'line1\nline2 = 100% + ünïcödé 🎉',
        Empty: '',
        a: 'lowercase sorts after uppercase',
        Z: 'z',
        'Key With Space': 'v a l',
      },
    ],
    ['repeated values', `${PUBLIC}/hook`, { Tag: ['b', 'a', 'b'], Other: 'x' }],
  ];
  for (const [name, url, params] of cases) {
    test(name, () => {
      const ours = twilioSignature(TOKEN, url, params);
      expect(ours).toBe(getExpectedTwilioSignature(TOKEN, url, params));
      expect(validateRequest(TOKEN, ours, url, params)).toBe(true);
      const fake = new FakeTwilio({ serverUrl: 'http://127.0.0.1:1', publicUrl: PUBLIC, authToken: TOKEN });
      expect(fake.signature(url, params)).toBe(ours);
    });
  }

  test('a different token or URL changes it', () => {
    const base = twilioSignature(TOKEN, STREAM_URL);
    expect(twilioSignature(TOKEN.replace('1', '2'), STREAM_URL)).not.toBe(base);
    expect(twilioSignature(TOKEN, STREAM_URL + '/')).not.toBe(base);
  });

  test('signing without a token throws', () => {
    const fake = new FakeTwilio({ serverUrl: 'http://127.0.0.1:1', publicUrl: PUBLIC });
    expect(() => fake.signature(STREAM_URL)).toThrow(/no authToken/);
  });
});

describe('parseTwiml', () => {
  test('unescapes attributes and text, in any attribute order and quoting', () => {
    const twiml = parseTwiml(TWIML);
    expect(twiml.say).toEqual(['Hi & welcome']);
    expect(twiml.verbs).toEqual(['Say', 'Connect']);
    expect(twiml.streamUrl).toBe(STREAM_URL);
    expect(twiml.connectAction).toBe(`${PUBLIC}/call-ended?x=1&y=2`);
    expect(twiml.parameters).toEqual({ agent: 'greeter', token: `a"b<c>d'e&f` });
    expect(twiml.raw).toBe(TWIML);
  });

  test('single quotes, comments, numeric entities, CDATA, multi-line attributes', () => {
    const twiml = parseTwiml(
      `<?xml version='1.0'?><!-- hi --><Response><Say voice='alice'>caf&#233; &#x1F600;</Say>` +
        `<Say><![CDATA[a < b & c]]></Say><Connect\n  action = 'https://p/a'\n><Stream\n url='wss://p/s'><Parameter\n value='v' name='n'></Parameter></Stream></Connect><Hangup/></Response>`,
    );
    expect(twiml.say).toEqual(['café 😀', 'a < b & c']);
    expect(twiml.connectAction).toBe('https://p/a');
    expect(twiml.streamUrl).toBe('wss://p/s');
    expect(twiml.parameters).toEqual({ n: 'v' });
    expect(twiml.verbs).toEqual(['Say', 'Say', 'Connect', 'Hangup']);
  });

  test('no stream: say and hangup', () => {
    const twiml = parseTwiml('<Response><Say>Sorry.</Say><Hangup/></Response>');
    expect(twiml).toMatchObject({ say: ['Sorry.'], verbs: ['Say', 'Hangup'], parameters: {} });
    expect(twiml.streamUrl).toBeUndefined();
  });

  test('rejects what Twilio would reject (unescaped values, broken XML)', () => {
    expect(() => parseTwiml('<Response><Say>Tom & Jerry</Say></Response>')).toThrow(/bare '&'/);
    expect(() => parseTwiml('<Response><Connect action="a<b"/></Response>')).toThrow(/unescaped '<'/);
    expect(() => parseTwiml('<Response><Say>&nbsp;</Say></Response>')).toThrow(/unknown entity/);
    expect(() => parseTwiml('<Response><Say>hi</Response>')).toThrow(/closes <Say>/);
    expect(() => parseTwiml('<Response><Stream url="a" url="b"/></Response>')).toThrow(/duplicate attribute/);
    expect(() => parseTwiml('<Response><Stream url=a/></Response>')).toThrow(/must be quoted/);
    expect(() => parseTwiml('<Response><Stream url="a"name="b"/></Response>')).toThrow(/whitespace/);
    expect(() => parseTwiml('<Response/><Response/>')).toThrow(/after the root/);
    expect(() => parseTwiml('<Reply/>')).toThrow(/expected <Response>/);
    expect(parseXml('<a b="1"><c/>t</a>')).toEqual({ name: 'a', attributes: { b: '1' }, children: [{ name: 'c', attributes: {}, children: [] }, 't'] });
  });
});

describe('FakeTwilio webhooks', () => {
  test('POSTs realistic, signed form params over publicUrl + path to serverUrl + path', async () => {
    await using stub = await startStub();
    const twilio = new FakeTwilio({ serverUrl: stub.url, publicUrl: PUBLIC + '/', authToken: TOKEN });
    const answer = await twilio.webhook({ From: '+4930123456', Extra: 'a&b=c d' });
    expect(answer.status).toBe(200);
    expect(answer.twiml?.streamUrl).toBe(STREAM_URL);
    const req = stub.requests[0]!;
    expect(req.method).toBe('POST');
    expect(req.path).toBe('/incoming-call');
    expect(req.headers['content-type']).toStartWith('application/x-www-form-urlencoded');
    expect(req.params).toEqual(answer.params);
    expect(req.params).toMatchObject({
      AccountSid: twilio.accountSid,
      From: '+4930123456',
      Caller: '+4930123456',
      To: '+14155550199',
      Called: '+14155550199',
      CallStatus: 'ringing',
      Direction: 'inbound',
      ApiVersion: '2010-04-01',
      Extra: 'a&b=c d',
    });
    expect(req.params['CallSid']).toMatch(/^CA[0-9a-f]{32}$/);
    expect(twilio.accountSid).toMatch(/^AC[0-9a-f]{32}$/);
    expect(answer.signedUrl).toBe(`${PUBLIC}/incoming-call`);
  });

  test('query strings are signed, GET signs the URL only, unsigned and forged requests fail', async () => {
    await using stub = await startStub();
    const twilio = new FakeTwilio({ serverUrl: stub.url, publicUrl: PUBLIC, authToken: TOKEN });
    expect((await twilio.webhook({}, { path: '/incoming-call?agent=front%20desk' })).status).toBe(200);
    const get = await twilio.webhook({ CallSid: 'CAx' }, { method: 'GET' });
    expect(get.status).toBe(200);
    expect(stub.requests[1]!.method).toBe('GET');
    expect(stub.requests[1]!.params['CallSid']).toBe('CAx');
    expect((await twilio.webhook({}, { sign: false })).status).toBe(403);
    expect(stub.requests[2]!.headers['x-twilio-signature']).toBeUndefined();
    expect((await twilio.webhook({}, { headers: { 'X-Twilio-Signature': 'forged' } })).status).toBe(403);
    const dropped = await twilio.webhook({ Caller: undefined });
    expect(dropped.params['Caller']).toBeUndefined();
    expect(dropped.status).toBe(200);
  });

  test('TwiML that does not parse is an error', async () => {
    const server = Bun.serve({ port: 0, hostname: '127.0.0.1', fetch: () => new Response('<Response><Say>a & b</Say></Response>') });
    try {
      const twilio = new FakeTwilio({ serverUrl: `http://127.0.0.1:${server.port}`, publicUrl: PUBLIC });
      await expect(twilio.webhook()).rejects.toThrow(/does not parse: XML: bare '&'/);
    } finally {
      await server.stop(true);
    }
  });
});

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
