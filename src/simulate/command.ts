// `switchboard simulate`: call a running switchboard the way Twilio does, from a terminal, and say
// truthfully how each call went: completed only when it came to what --expect names.
import { defineCommand, type Flags, type FlagValues } from '../cli/command.ts';
import { Environment, type Env } from '../server/settings.ts';
import { amount, httpUrl, outputFile, wholeNumber } from './flags.ts';
import { runCalls } from './load.ts';
import { EXPECTED, parseExpectation } from './outcome.ts';
import { describeRun, summary } from './report.ts';
import { mulawToWav, readWavAsMulaw } from './wav.ts';

const SIMULATE_FLAGS = {
  url: { type: 'string', value: 'URL', about: 'the switchboard to call (default http://127.0.0.1:$PORT)' },
  wav: { type: 'string', value: 'FILE', about: 'what the caller says: a WAV file, sent at real-time pace' },
  out: { type: 'string', value: 'FILE', about: "the agent's audio of call 1, written as a WAV file" },
  calls: { type: 'string', value: 'N', about: 'how many calls (default 1)' },
  seconds: { type: 'string', value: 'S', about: 'how long each call lasts (default: the WAV plus 8 s)' },
  'public-url': { type: 'string', value: 'URL', about: "the server's PUBLIC_URL, which requests are signed for (default $PUBLIC_URL)" },
  'auth-token': { type: 'string', value: 'T', about: "the server's TWILIO_AUTH_TOKEN, to sign with (default $TWILIO_AUTH_TOKEN)" },
  'ramp-ms': { type: 'string', value: 'M', about: 'time between call starts (default 1000 with --calls above 1)' },
  'say-ms': { type: 'string', value: 'M', about: "how long the TwiML's <Say> takes before the stream opens (default: estimated)" },
  stamp: { type: 'boolean', about: 'send stamped frames, for the benchmark' },
  json: { type: 'boolean', about: 'print one JSON summary instead of lines' },
  expect: { type: 'string', value: 'OUTCOME', about: 'what each call must come to: audio (the default), fallback, busy or refused' },
} as const satisfies Flags;

/** What simulate was given: expect is audio (default) | fallback | busy | refused (outcome.ts). */
export type SimulateFlags = FlagValues<typeof SIMULATE_FLAGS>;

export const simulateCommand = defineCommand({
  name: 'simulate',
  about:
    'call a running switchboard as Twilio does (default --url http://127.0.0.1:$PORT; signs with ' +
    'TWILIO_AUTH_TOKEN and PUBLIC_URL); exit 1 unless every call came to --expect (default: agent audio)',
  flags: SIMULATE_FLAGS,
  run: ({ flags, env }) => simulate(flags, env),
});

export async function simulate(flags: SimulateFlags, env: Env): Promise<number> {
  const environment = new Environment(env);
  // Every flag is checked before the first call: a typo must not cost a call's worth of waiting.
  const expect = parseExpectation(flags.expect);
  const calls = wholeNumber('calls', flags.calls, 1, 1);
  const rampMs = amount('ramp-ms', flags['ramp-ms'], calls > 1 ? 1000 : 0);
  const sayMs = flags['say-ms'] === undefined ? undefined : amount('say-ms', flags['say-ms'], 0);
  amount('seconds', flags.seconds, 0);
  const url = httpUrl('--url', flags.url ?? `http://127.0.0.1:${environment.port()}`);
  const envPublicUrl = environment.publicUrlAsWritten();
  const publicUrl = flags['public-url'] ? httpUrl('--public-url', flags['public-url']) : envPublicUrl ? httpUrl('PUBLIC_URL', envPublicUrl) : undefined;
  if (flags.out) outputFile(flags.out);
  const audio = flags.wav ? await readWavAsMulaw(flags.wav) : undefined;
  // By default: say the WAV, then listen for 8 s.
  const seconds = amount('seconds', flags.seconds, (audio ? audio.length / 8000 : 0) + 8);
  const authToken = flags['auth-token'] || environment.twilioAuthToken();

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
