// `switchboard simulate` against the real server and the fake Realtime API: a WAV goes in as a
// caller, the agent's answer comes back out as a WAV.
import { expect, test } from 'bun:test';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WaveFile } from 'wavefile';
import { wavToMulaw } from '../../src/simulate/wav.ts';
import { runCli } from '../cli.ts';
import { AUTH_TOKEN, eventually, PUBLIC_URL, pattern, startHarness } from '../harness.ts';

function toneWav(seconds: number): Uint8Array {
  const n = 16000 * seconds;
  const samples = new Int16Array(n).map((_, i) => Math.round(6000 * Math.sin((2 * Math.PI * 300 * i) / 16000)));
  const wav = new WaveFile();
  wav.fromScratch(1, 16000, '16', samples);
  return wav.toBuffer();
}

test('simulate says a WAV, records the agent, acknowledges marks and reports the call', async () => {
  await using h = await startHarness();
  const dir = mkdtempSync(join(tmpdir(), 'sb-sim-'));
  const input = join(dir, 'hello.wav');
  const output = join(dir, 'reply.wav');
  await Bun.write(input, toneWav(0.5));

  // Not spawnSync: the server under test runs in this process and must keep answering.
  const run = runCli(['simulate', '--url', h.switchboard.url.origin, '--public-url', PUBLIC_URL,
    '--auth-token', AUTH_TOKEN, '--wav', input, '--out', output, '--seconds', '3', '--say-ms', '0']);
  const upstream = await h.realtime.nextSession(10_000);
  await upstream.waitFor('session.update');
  // The session is pre-warmed at the webhook; the model speaks once the caller's stream is there.
  await eventually(() => h.logs.some((l) => l.includes('call started')), 10_000, 'stream started'); // CallSid unknown here
  const reply = pattern(8 * 400, 17); // 400 ms of agent audio
  await upstream.speak(reply);
  const { code, stdout, stderr } = await run;

  expect({ code, stderr: code === 0 ? '' : stderr }).toEqual({ code: 0, stderr: '' });
  expect(stdout, stdout).toMatch(/call 1 CA[0-9a-f]{32}: first agent audio after \d+ ms, 0\.4 s of agent audio, [1-9]\d* marks, 0 clears/);
  expect(stdout).toContain('ended: the caller hung up (stop)');
  expect(stdout).toContain('1/1 calls completed; first agent audio p50');
  expect(stderr.split('\n')[0]).toBe(`simulate: 1 call to ${h.switchboard.url.origin} for 3 s each, expecting agent audio`);
  // The caller's audio arrived upstream as the WAV's mu-law, from its first frame on.
  const sent = wavToMulaw(toneWav(0.5));
  expect(upstream.audio().slice(0, sent.length)).toEqual(sent);
  // The agent's audio came back out byte for byte.
  expect(wavToMulaw(new Uint8Array(await Bun.file(output).arrayBuffer()))).toEqual(reply);
});

test('simulate --json: a wrong auth token is a failed call with the 403 hint, exit 1', async () => {
  await using h = await startHarness();
  const run = await runCli(['simulate', '--url', h.switchboard.url.origin, '--public-url', PUBLIC_URL, '--auth-token', 'wrong', '--json', '--seconds', '0.2']);
  expect(run.code).toBe(1);
  const report = JSON.parse(run.stdout);
  const reason = "the webhook answered 403 Forbidden; the server refused the signature: PUBLIC_URL and TWILIO_AUTH_TOKEN must be the server's";
  expect(report).toMatchObject({ expect: 'audio', calls: 1, completed: 0, failed: 1, errors: [reason] });
  expect(report.streams).toEqual([expect.objectContaining({ index: 0, outcome: 'refused', error: reason })]);
  expect(h.logs.some((l) => l.includes('webhook refused: bad signature'))).toBe(true);
});

test('unsigned calls reach a server started with --insecure, and simulate says they are unsigned', async () => {
  await using h = await startHarness({ authToken: null });
  const run = runCli(['simulate', '--url', h.switchboard.url.origin, '--seconds', '2', '--say-ms', '0']);
  const upstream = await h.realtime.nextSession(10_000);
  await upstream.waitFor('session.update');
  await eventually(() => h.logs.some((l) => l.includes('call started')), 10_000, 'stream started');
  await upstream.speak(pattern(8 * 200, 3));
  const { code, stdout, stderr } = await run;

  expect({ code, stdout }).toEqual({ code: 0, stdout: expect.stringContaining('1/1 calls completed; first agent audio p50') });
  expect(stdout).toMatch(/call 1 CA[0-9a-f]{32}: first agent audio after \d+ ms, 0\.2 s of agent audio/);
  expect(stderr.split('\n')[1]).toBe(
    "simulate: TWILIO_AUTH_TOKEN (or --auth-token) is not set: simulate signs like Twilio and needs the server's auth token, " +
      'unless the server runs with --insecure; these calls go unsigned',
  );
});
