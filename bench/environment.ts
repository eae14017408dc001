// What a result depends on besides the code: the machine and every version in the path.
import { cpus, loadavg, totalmem } from 'node:os';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { allowedCpus } from './processes.ts';
import { ROOT } from './targets.ts';

const text = (command: string[]) => {
  const run = Bun.spawnSync(command, { cwd: ROOT, stderr: 'ignore' });
  return run.exitCode === 0 ? run.stdout.toString().trim() : null;
};

const packageVersion = (dir: string) => {
  try {
    return (JSON.parse(readFileSync(join(ROOT, dir, 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return null;
  }
};

export function machine() {
  return {
    nproc: cpus().length,
    allowedCpus: allowedCpus(),
    model: /model name\s*:\s*(.+)/.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? null,
    kernel: text(['uname', '-sr']),
    memoryMiB: Math.round(totalmem() / 2 ** 20),
    /** 1, 5 and 15 minute load averages when the run began: a busy machine skews every number. */
    loadAverage: loadavg(),
  };
}

export function versions() {
  return {
    switchboard: packageVersion('.'),
    git: text(['git', 'describe', '--always', '--dirty']),
    bun: Bun.version,
    node: text(['node', '--version']),
    '@openai/agents': packageVersion('node_modules/@openai/agents'),
    '@openai/agents-realtime': packageVersion('node_modules/@openai/agents-realtime'),
    '@openai/agents-extensions': packageVersion('node_modules/@openai/agents-extensions'),
    fastify: packageVersion('node_modules/fastify'),
    '@fastify/websocket': packageVersion('node_modules/@fastify/websocket'),
  };
}
