// The servers under test and how each is started. All get the same minimal environment (plus what
// each needs of its own) and run in a scratch directory: switchboard (and Bun) read `.env` from the
// working directory, and a developer's real key or PUBLIC_URL must not leak into a benchmark run.
import { resolve } from 'node:path';

export const ROOT = resolve(import.meta.dir, '..');
export const BINARY = resolve(ROOT, 'dist/switchboard');
const BUN = resolve(ROOT, 'node_modules/.bin/bun');

export type TargetName = 'switchboard' | 'switchboard-sdk' | 'switchboard-nostore' | 'baseline' | 'floor';

export interface Target {
  name: TargetName;
  command: string[];
  /** Set for this target only, on top of the shared variables. */
  env?: Record<string, string>;
  /** Where its event loop delay comes from: its own /metrics, or the probe loaded into this runtime. */
  loopDelay: 'metrics' | 'node' | 'bun';
}

const SWITCHBOARD = [BINARY, 'serve', '--insecure', '--config', resolve(ROOT, 'bench/agents.yaml')];

export const TARGETS: Record<TargetName, Target> = {
  // The default audio path, as shipped. /metrics open so the runner can read the event loop delay.
  switchboard: { name: 'switchboard', command: SWITCHBOARD, env: { METRICS_PUBLIC: 'true' }, loopDelay: 'metrics' },
  // The same binary on the SDK's own Twilio transport (BENCH_SDK=1).
  'switchboard-sdk': { name: 'switchboard-sdk', command: SWITCHBOARD, env: { METRICS_PUBLIC: 'true', AUDIO_PATH: 'sdk' }, loopDelay: 'metrics' },
  // The same binary with its call store off (BENCH_NOSTORE=1): what records cost, side by side.
  'switchboard-nostore': {
    name: 'switchboard-nostore',
    command: SWITCHBOARD,
    env: { METRICS_PUBLIC: 'true', BENCH_STORAGE_URL: 'off' },
    loopDelay: 'metrics',
  },
  baseline: { name: 'baseline', command: ['node', resolve(ROOT, 'bench/baseline/server.mjs')], loopDelay: 'node' },
  floor: { name: 'floor', command: [BUN, resolve(ROOT, 'bench/floor/server.ts')], loopDelay: 'bun' },
};

/** Every round runs these, in this order (A B C A B C); switchboard-sdk only with BENCH_SDK=1, switchboard-nostore with BENCH_NOSTORE=1. */
export function targetOrder(env: Record<string, string | undefined> = process.env): TargetName[] {
  const optional = (flag: string | undefined, name: TargetName) => (flag === '1' ? [name] : []);
  return ['switchboard', ...optional(env.BENCH_SDK, 'switchboard-sdk'), ...optional(env.BENCH_NOSTORE, 'switchboard-nostore'), 'baseline', 'floor'];
}

/** The shared variables (all targets read these; each ignores those it does not know) and the target's own. */
export function targetEnv(target: Target, port: number, upstreamUrl: string): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: process.env.HOME ?? '/tmp',
    OPENAI_API_KEY: 'sk-bench',
    OPENAI_REALTIME_URL: upstreamUrl,
    PORT: String(port),
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    ...target.env,
  };
}
