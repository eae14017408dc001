// Thousands of random and mutated Twilio frames against a live server; afterwards it must still
// serve a clean call. Seeded, so a failure can be replayed: FUZZ_SEED=n bun test fuzz.
import { expect, spyOn, test } from 'bun:test';
import { eventually, pattern, startHarness } from '../harness.ts';

const SEED = Number(process.env.FUZZ_SEED ?? Date.now() % 1_000_000);
const STREAMS = 24;
const FRAMES_PER_STREAM = 150;

/** mulberry32: small, fast, good enough to pick mutations. */
function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function frames(random: () => number, streamSid: string, callSid: string) {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const junk = (): unknown =>
    pick([null, true, 0, -1, 1e308, '', 'x'.repeat(Math.floor(random() * 500)), [], {}, [[[]]], { a: { b: {} } }, '\u0000\uffff', '😀']);
  const base64 = () => Buffer.from(pattern(Math.floor(random() * 400), Math.floor(random() * 256))).toString('base64');
  const valid = (): Record<string, unknown> =>
    pick([
      { event: 'media', sequenceNumber: '5', streamSid, media: { track: 'inbound', chunk: '3', timestamp: String(Math.floor(random() * 1e6)), payload: base64() } },
      { event: 'mark', sequenceNumber: '6', streamSid, mark: { name: pick(['done:x', 'x:0:g1:m1', '', 'nope']) } },
      { event: 'dtmf', sequenceNumber: '7', streamSid, dtmf: { track: 'inbound_track', digit: pick(['1', '#', '', 'AB']) } },
      { event: 'start', sequenceNumber: '1', streamSid, start: { streamSid, callSid, customParameters: {}, mediaFormat: { encoding: 'audio/x-mulaw', sampleRate: 8000, channels: 1 } } },
      { event: 'connected', protocol: 'Call', version: '1.0.0' },
    ]);
  const mutate = (frame: Record<string, unknown>): Record<string, unknown> => {
    const copy = structuredClone(frame) as Record<string, Record<string, unknown>>;
    const key = pick(Object.keys(copy));
    const inner = copy[key];
    if (inner && typeof inner === 'object' && random() < 0.6) {
      const innerKey = pick(Object.keys(inner).concat('extra'));
      if (random() < 0.3) delete inner[innerKey];
      else inner[innerKey] = junk();
    } else if (random() < 0.5) delete copy[key];
    else (copy as Record<string, unknown>)[key] = junk();
    return copy;
  };
  return (): string | Uint8Array => {
    const r = random();
    if (r < 0.3) return JSON.stringify(valid());
    if (r < 0.75) return JSON.stringify(mutate(valid()));
    if (r < 0.82) return JSON.stringify(valid()).slice(0, Math.floor(random() * 60)); // truncated
    if (r < 0.87) return pattern(Math.floor(random() * 64), Math.floor(random() * 256)); // binary
    if (r < 0.92) return `${'['.repeat(2000)}${']'.repeat(2000)}`;
    if (r < 0.96) return JSON.stringify(junk());
    return JSON.stringify({ event: 'media', streamSid, media: { payload: '%%%not-base64%%%' } });
  };
}

test(`fuzz: ${STREAMS * FRAMES_PER_STREAM} hostile frames, then a clean call (seed ${SEED})`, async () => {
  await using h = await startHarness();
  // The SDK's Twilio transport (AUDIO_PATH=sdk) warns on the console for every mark it did not send
  // (Twilio only echoes real ones); hundreds of fuzzed marks would bury the test output.
  using sdkWarnings = spyOn(console, 'warn').mockImplementation(() => {});
  const random = rng(SEED);
  let sent = 0;
  const streams = await Promise.all(
    Array.from({ length: STREAMS }, (_, i) => h.twilio.call({ autoStart: i % 3 !== 0 })),
  );
  await Promise.all(
    streams.map(async (call) => {
      const next = frames(random, call.streamSid, call.callSid);
      for (let n = 0; n < FRAMES_PER_STREAM && call.isOpen; n++) {
        call.sendRaw(next());
        sent++;
        if (n % 25 === 0) await Bun.sleep(0); // let the server interleave streams
      }
    }),
  );
  expect(sent).toBeGreaterThan(STREAMS * FRAMES_PER_STREAM * 0.5);
  // Fuzzed marks reached the transport: the SDK's warns for each (the lean path ignores them quietly).
  if (process.env.AUDIO_PATH === 'sdk') expect(sdkWarnings.mock.calls.some(([line]) => String(line).startsWith('Invalid mark name received'))).toBe(true);
  await Promise.all(streams.map((c) => (c.isOpen ? c.hangup() : c.closed)));
  // Streams that never sent `start` never told us their CallSid: their pre-warmed sessions stay
  // until PREWARM_TTL_MS. Everything else is closed.
  const neverStarted = Math.ceil(STREAMS / 3);
  await eventually(
    () => h.switchboard.calls.size === 0 && h.realtime.openCount === neverStarted && h.switchboard.context.prewarm.size === neverStarted,
    5000,
    'fuzzed calls gone',
  );

  // The server is unharmed: a clean call, audio both ways.
  const before = h.realtime.sessions.length;
  const call = await h.twilio.call();
  await eventually(() => h.realtime.sessions.length > before, 3000, 'clean upstream');
  const upstream = h.realtime.sessions[before]!;
  await upstream.waitFor('session.update');
  await eventually(() => h.logs.some((l) => l.includes('upstream ready') && l.includes(call.callSid)), 3000, 'clean call ready');
  await call.sendAudio(pattern(800, 42));
  await eventually(() => upstream.audio().length >= 800, 3000, 'clean caller audio');
  expect(upstream.audio()).toEqual(pattern(800, 42));
  await upstream.speak(pattern(320, 7));
  await call.waitForAudioBytes(320);
  expect(call.receivedAudio()).toEqual(pattern(320, 7));
  expect(call.protocolViolations).toEqual([]);
  await call.hangup();
});
