// `switchboard simulate` against the real server and the fake Realtime API: a WAV goes in as a
// caller, the agent's answer comes back out as a WAV.
import { expect, test } from 'bun:test';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WaveFile } from 'wavefile';
import { wavToMulaw } from '../../src/simulate/wav.ts';
import { AUTH_TOKEN, eventually, PUBLIC_URL, pattern, startHarness } from '../harness.ts';

const MAIN = join(import.meta.dir, '../../src/main.ts');

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

  const proc = Bun.spawn(
    [process.execPath, MAIN, 'simulate', '--url', h.switchboard.url.origin, '--public-url', PUBLIC_URL,
      '--auth-token', AUTH_TOKEN, '--wav', input, '--out', output, '--seconds', '3', '--say-ms', '0'],
    { stdout: 'pipe', stderr: 'pipe', env: { PATH: process.env.PATH ?? '' } },
  );
  const upstream = await h.realtime.nextSession(10_000);
  await upstream.waitFor('session.update');
  // The session is pre-warmed at the webhook; the model speaks once the caller's stream is there.
  await eventually(() => h.logs.some((l) => l.includes('call started')), 10_000, 'stream started'); // CallSid unknown here
  const reply = pattern(8 * 400, 17); // 400 ms of agent audio
  await upstream.speak(reply);
  const [code, stdout, stderr] = await Promise.all([proc.exited, new Response(proc.stdout).text(), new Response(proc.stderr).text()]);

  expect({ code, stderr: code === 0 ? '' : stderr }).toEqual({ code: 0, stderr: '' });
  expect(stdout, stdout).toMatch(/call 1 CA[0-9a-f]{32}: first agent audio after \d+ ms, 0\.4 s of agent audio, [1-9]\d* marks, 0 clears/);
  expect(stdout).toContain('ended: the caller hung up (stop)');
  expect(stdout).toContain('1/1 calls completed');
  // The caller's audio arrived upstream as the WAV's mu-law, from its first frame on.
  const sent = wavToMulaw(toneWav(0.5));
  expect(upstream.audio().slice(0, sent.length)).toEqual(sent);
  // The agent's audio came back out byte for byte.
  expect(wavToMulaw(new Uint8Array(await Bun.file(output).arrayBuffer()))).toEqual(reply);
});

test('simulate --json reports a failed webhook as a failed call, exit 1', async () => {
  await using h = await startHarness();
  // Not spawnSync: the server under test runs in this process and must keep answering.
  const proc = Bun.spawn(
    [process.execPath, MAIN, 'simulate', '--url', h.switchboard.url.origin, '--public-url', PUBLIC_URL, '--auth-token', 'wrong', '--json', '--seconds', '0.2'],
    { stdout: 'pipe', stderr: 'pipe', env: { PATH: process.env.PATH ?? '' } },
  );
  expect(await proc.exited).toBe(1);
  const report = JSON.parse(await new Response(proc.stdout).text());
  expect(report).toMatchObject({ calls: 1, completed: 0, failed: 1 });
  expect(report.errors[0]).toContain('webhook answered 403');
});
