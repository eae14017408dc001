// simulate's argument errors: one line each on stderr, nothing on stdout, exit 1, and no call
// placed (these runs have no server to call: a call would fail differently).
import { describe, expect, test } from 'bun:test';
import { WaveFile } from 'wavefile';
import { runCli, scratchDir } from '../cli.ts';

const ACCEPTED = 'WAV files: PCM (8, 16, 24 or 32-bit), float (32 or 64-bit), mu-law or A-law, mono or stereo, at any sample rate';

describe('simulate refuses bad arguments in one line', () => {
  const cases: [string[], string][] = [
    [['--calls', '0'], '--calls must be at least 1 (got "0")'],
    [['--calls', '-2'], '--calls must be at least 1 (got "-2")'],
    [['--calls', 'two'], '--calls must be a whole number (got "two")'],
    [['--calls', '1.5'], '--calls must be a whole number (got "1.5")'],
    [['--seconds', 'abc'], '--seconds must be a number of at least 0 (got "abc")'],
    [['--seconds', ''], '--seconds must be a number of at least 0 (got "")'],
    [['--ramp-ms', '1e3'], '--ramp-ms must be a number of at least 0 (got "1e3")'],
    [['--expect', 'music'], '--expect must be one of audio, fallback, busy, refused (got "music")'],
    [['--url', 'localhost:5050'], '--url must be an http(s) URL such as https://voice.example.com (got "localhost:5050")'],
    [['--wav', 'missing.wav'], '--wav missing.wav: the file does not exist'],
    [['--wav', 'notes.txt'], `--wav notes.txt is not a WAV file; simulate reads ${ACCEPTED}`],
    [['--out', 'nowhere/reply.wav'], '--out nowhere/reply.wav: the directory nowhere does not exist'],
  ];
  for (const [args, message] of cases) {
    test(args.join(' '), async () => {
      const run = await runCli(['simulate', '--url', 'http://127.0.0.1:1', ...args], {}, scratchDir({ 'notes.txt': 'not audio\n' }));
      expect(run).toEqual({ code: 1, stdout: '', stderr: `switchboard: ${message}\n` });
    });
  }

  test('a WAV in an encoding simulate cannot read says which it is and which it reads', async () => {
    const wav = new WaveFile();
    wav.fromScratch(1, 8000, '16', new Int16Array(2000));
    wav.toIMAADPCM();
    const dir = scratchDir();
    await Bun.write(`${dir}/adpcm.wav`, wav.toBuffer());
    const run = await runCli(['simulate', '--wav', 'adpcm.wav'], {}, dir);
    expect(run).toEqual({ code: 1, stdout: '', stderr: `switchboard: --wav adpcm.wav: a WAV encoding simulate cannot read (format 17, 4 bits); it reads ${ACCEPTED}\n` });
  });

  test('a PUBLIC_URL that is not a URL is named as the environment variable it came from', async () => {
    const run = await runCli(['simulate'], { PUBLIC_URL: 'voice.example.com' });
    expect(run).toEqual({ code: 1, stdout: '', stderr: 'switchboard: PUBLIC_URL must be an http(s) URL such as https://voice.example.com (got "voice.example.com")\n' });
  });
});

test('no server: every call fails with why, and the progress line rounds the WAV-based seconds', async () => {
  // 1.58425 s of WAV + 8 s of listening: 9.58425 s, said as 9.6 s.
  const wav = new WaveFile();
  wav.fromScratch(1, 8000, '16', new Int16Array(12674));
  const dir = scratchDir();
  await Bun.write(`${dir}/hello.wav`, wav.toBuffer());
  // Port 1 on loopback: nothing listens there, the connection is refused at once.
  const run = await runCli(['simulate', '--url', 'http://127.0.0.1:1', '--wav', 'hello.wav', '--auth-token', 't', '--calls', '2', '--ramp-ms', '0'], {}, dir);
  expect(run.code).toBe(1);
  expect(run.stderr).toBe('simulate: 2 calls to http://127.0.0.1:1 for 9.6 s each, expecting agent audio\n');
  const refused = 'failed: cannot reach http://127.0.0.1:1: connection refused (is switchboard running there?)';
  expect(run.stdout.replace(/ CA[0-9a-f]{32}:/g, ' CA…:')).toBe(`call 1 CA…: ${refused}\ncall 2 CA…: ${refused}\n0/2 calls completed, 2 failed; no agent audio; 0 marks, 0 clears\n`);
});
