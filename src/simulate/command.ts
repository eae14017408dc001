// `switchboard simulate`: call a running switchboard the way Twilio does, from a terminal.
import { mulawToWav, wavToMulaw } from './wav.ts';
import { runCalls } from './load.ts';
import { describeCall, summary } from './report.ts';

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
  json?: boolean;
}

function positive(name: string, value: string | undefined, fallback: number): number {
  const n = value === undefined ? fallback : Number(value);
  if (!Number.isFinite(n) || n < 0) throw new RangeError(`--${name} must be a non-negative number (got ${value})`);
  return n;
}

export async function simulate(flags: SimulateFlags, env: Record<string, string | undefined>): Promise<number> {
  const url = flags.url ?? `http://127.0.0.1:${env.PORT || 5050}`;
  const audio = flags.wav ? wavToMulaw(new Uint8Array(await Bun.file(flags.wav).arrayBuffer())) : undefined;
  const calls = positive('calls', flags.calls, 1);
  // By default: say the WAV, then listen for 8 s.
  const seconds = positive('seconds', flags.seconds, (audio ? audio.length / 8000 : 0) + 8);
  const progress = (message: string) => process.stderr.write(`simulate: ${message}\n`);
  progress(`${calls} call(s) to ${url} for ${seconds} s each`);

  const results = await runCalls({
    url,
    publicUrl: flags['public-url'] ?? env.PUBLIC_URL,
    authToken: flags['auth-token'] ?? env.TWILIO_AUTH_TOKEN,
    audio,
    stamp: flags.stamp,
    keepAudio: Boolean(flags.out),
    calls,
    seconds,
    rampMs: positive('ramp-ms', flags['ramp-ms'], calls > 1 ? 1000 : 0),
    sayMs: flags['say-ms'] === undefined ? undefined : positive('say-ms', flags['say-ms'], 0),
    onProgress: progress,
  });

  if (flags.out && results[0]) {
    await Bun.write(flags.out, mulawToWav(Buffer.concat(results[0].agentAudio)));
    progress(`agent audio of call 1 saved to ${flags.out}`);
  }
  const report = summary(results, seconds);
  if (flags.json) {
    process.stdout.write(`${JSON.stringify(report)}\n`);
  } else {
    const lines = results.length <= 5 ? results.flatMap(describeCall) : [];
    lines.push(
      `${report.completed}/${report.calls} calls completed; first agent audio p50 ${Math.round(report.firstAudioMs.p50)} ms, ` +
        `p99 ${Math.round(report.firstAudioMs.p99)} ms; ${report.marks} marks, ${report.clears} clears`,
    );
    if (report.errors.length > 0) lines.push(...report.errors.map((e) => `error: ${e}`));
    process.stdout.write(`${lines.join('\n')}\n`);
  }
  return report.failed === 0 ? 0 : 1;
}
