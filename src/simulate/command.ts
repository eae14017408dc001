// `switchboard simulate`: call a running switchboard the way Twilio does, from a terminal, and say
// truthfully how each call went: completed only when it came to what --expect names.
import { amount, httpUrl, outputFile, wholeNumber } from './flags.ts';
import { runCalls } from './load.ts';
import { EXPECTED, parseExpectation } from './outcome.ts';
import { describeRun, summary } from './report.ts';
import { mulawToWav, readWavAsMulaw } from './wav.ts';

export interface SimulateFlags {
  url?: string;
  'public-url'?: string;
  'auth-token'?: string;
  wav?: string;
  out?: string;
  calls?: string;
  seconds?: string;
  'ramp-ms'?: string;
  'say-ms'?: string;
  stamp?: boolean;
  /** audio (default) | fallback | busy | refused: what each call must come to (outcome.ts). */
  expect?: string;
  json?: boolean;
}

export async function simulate(flags: SimulateFlags, env: Record<string, string | undefined>): Promise<number> {
  // Every flag is checked before the first call: a typo must not cost a call's worth of waiting.
  const expect = parseExpectation(flags.expect);
  const calls = wholeNumber('calls', flags.calls, 1, 1);
  const rampMs = amount('ramp-ms', flags['ramp-ms'], calls > 1 ? 1000 : 0);
  const sayMs = flags['say-ms'] === undefined ? undefined : amount('say-ms', flags['say-ms'], 0);
  amount('seconds', flags.seconds, 0);
  const url = httpUrl('--url', flags.url ?? `http://127.0.0.1:${env.PORT || 5050}`);
  const publicUrl = flags['public-url'] ? httpUrl('--public-url', flags['public-url']) : env.PUBLIC_URL ? httpUrl('PUBLIC_URL', env.PUBLIC_URL) : undefined;
  if (flags.out) outputFile(flags.out);
  const audio = flags.wav ? await readWavAsMulaw(flags.wav) : undefined;
  // By default: say the WAV, then listen for 8 s.
  const seconds = amount('seconds', flags.seconds, (audio ? audio.length / 8000 : 0) + 8);
  const authToken = flags['auth-token'] || env.TWILIO_AUTH_TOKEN || undefined;

  const progress = (message: string) => process.stderr.write(`simulate: ${message}\n`);
  progress(`${calls} call${calls === 1 ? '' : 's'} to ${url} for ${Number(seconds.toFixed(1))} s each, expecting ${EXPECTED[expect]}`);
  if (!authToken) {
    // Unsigned calls are how a server started with --insecure is tested (the benchmark does).
    progress(
      'TWILIO_AUTH_TOKEN (or --auth-token) is not set: simulate signs like Twilio and needs the ' +
        "server's auth token, unless the server runs with --insecure; these calls go unsigned",
    );
  }

  const results = await runCalls({ url, publicUrl, authToken, audio, stamp: flags.stamp, keepAudio: Boolean(flags.out), calls, seconds, rampMs, sayMs, expect, onProgress: progress });

  const first = results[0];
  if (flags.out && first) {
    if (first.agentAudio.length > 0) {
      await Bun.write(flags.out, mulawToWav(Buffer.concat(first.agentAudio)));
      progress(`agent audio of call 1 saved to ${flags.out}`);
    } else {
      progress(`call 1 brought no agent audio: ${flags.out} not written`);
    }
  }
  const report = summary(results, seconds, expect);
  process.stdout.write(flags.json ? `${JSON.stringify(report)}\n` : `${describeRun(results, report).join('\n')}\n`);
  return report.failed === 0 ? 0 : 1;
}
