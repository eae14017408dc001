// The two servers under test and how each is started. Both get the same minimal environment and
// run in a scratch directory: switchboard (and Bun) read `.env` from the working directory, and a
// developer's real key or PUBLIC_URL must not leak into a benchmark run.
import { resolve } from 'node:path';

export const ROOT = resolve(import.meta.dir, '..');
export const BINARY = resolve(ROOT, 'dist/switchboard');

export type TargetName = 'switchboard' | 'baseline';

export interface Target {
  name: TargetName;
  command: string[];
}

export const TARGETS: Record<TargetName, Target> = {
  switchboard: {
    name: 'switchboard',
    command: [BINARY, 'serve', '--insecure', '--config', resolve(ROOT, 'bench/agents.yaml')],
  },
  baseline: {
    name: 'baseline',
    command: ['node', resolve(ROOT, 'bench/baseline/server.mjs')],
  },
};

/** Both targets read the same variables; the baseline ignores those it does not know. */
export function targetEnv(port: number, upstreamUrl: string): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: process.env.HOME ?? '/tmp',
    OPENAI_API_KEY: 'sk-bench',
    OPENAI_REALTIME_URL: upstreamUrl,
    PORT: String(port),
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
  };
}
