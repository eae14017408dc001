// Child processes of the benchmark: pinned to a core, tracked so that none outlives the runner
// (normal exit, failure, Ctrl-C), and read through /proc for CPU time and memory.
import type { Subprocess } from 'bun';
import { readFileSync } from 'node:fs';

const children = new Set<Subprocess>();

function killAll(): void {
  for (const child of children) child.kill('SIGKILL');
  children.clear();
}
process.on('exit', killAll);
/** Exit codes as a shell reports death by these signals (128 + number). */
const SIGNAL_EXIT_CODES = { SIGHUP: 129, SIGINT: 130, SIGTERM: 143 } as const;
for (const [signal, code] of Object.entries(SIGNAL_EXIT_CODES)) {
  process.once(signal, () => {
    process.stderr.write(`\nbench: ${signal}, stopping\n`);
    killAll();
    process.exit(code);
  });
}

/** The CPUs this process may run on (a container may allow fewer than the machine has). */
export function allowedCpus(): number[] {
  const line = /Cpus_allowed_list:\s*(\S+)/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1] ?? '0';
  return line.split(',').flatMap((part) => {
    const [from, to = from] = part.split('-').map(Number) as [number, number?];
    return Array.from({ length: to - from + 1 }, (_, i) => from + i);
  });
}

/**
 * Prefix a command with `taskset -c CPUS`. Undefined leaves it alone: it then inherits this
 * process's affinity (all CPUs, unless pinSelf ran).
 */
export function pinned(cpus: number | number[] | undefined, command: string[]): string[] {
  return cpus === undefined ? command : ['taskset', '-c', [cpus].flat().join(','), ...command];
}

/** Pin this process and every thread it already has (new threads inherit it). */
export function pinSelf(cpu: number | undefined): void {
  if (cpu === undefined) return;
  Bun.spawnSync(['taskset', '-a', '-c', '-p', String(cpu), String(process.pid)], { stdout: 'ignore' });
}

export interface SpawnOptions {
  env?: Record<string, string>;
  cwd?: string;
  /** Where stdout and stderr go (a log file), unless piped. */
  log?: string;
  stdout?: 'pipe';
  stderr?: 'pipe';
}

export function spawnTracked(command: string[], options: SpawnOptions = {}): Subprocess {
  const sink = options.log ? Bun.file(options.log) : 'ignore';
  // `taskset` execs the command: the pid is the target's own, which /proc readings rely on.
  const child = Bun.spawn(command, {
    cwd: options.cwd,
    env: options.env,
    stdin: 'ignore',
    stdout: options.stdout ?? sink,
    stderr: options.stderr ?? sink,
  });
  children.add(child);
  void child.exited.then(() => children.delete(child));
  return child;
}

/** SIGTERM, then SIGKILL if it has not exited within `graceMs`. */
export async function stopProcess(child: Subprocess, graceMs = 2000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await child.exited;
  clearTimeout(timer);
}

let clockTicks: number | undefined;
function ticksPerSecond(): number {
  clockTicks ??= Number(Bun.spawnSync(['getconf', 'CLK_TCK']).stdout.toString().trim()) || 100;
  return clockTicks;
}

/** User + system CPU seconds of a process, all its threads included. */
export function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name, which may contain spaces but ends at the last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / ticksPerSecond();
}

/** Busy CPU seconds of the whole machine since boot (all cores): to see what else ran meanwhile. */
export function machineBusySeconds(): number {
  const line = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0] ?? '';
  // cpu user nice system idle iowait irq softirq steal ...
  const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0, steal = 0] = line.split(/\s+/).slice(1).map(Number);
  return (user + nice + system + irq + softirq + steal) / ticksPerSecond();
}

/** Memory of a process in KiB: resident now (VmRSS) or its peak so far (VmHWM). */
export function memoryKiB(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(new RegExp(`${field}:\\s*(\\d+)`).exec(status)?.[1] ?? NaN);
}

/** A TCP port that was free a moment ago, for a child to listen on. */
export function freePort(): number {
  const server = Bun.serve({ port: 0, hostname: '127.0.0.1', fetch: () => new Response() });
  const port = server.port!;
  server.stop(true);
  return port;
}

/** Polls `url` until it answers 200; returns the ms from `since` (performance.now()) to that answer. */
export async function waitFor200(url: string, since: number, child: Subprocess, timeoutMs: number): Promise<number> {
  const deadline = since + timeoutMs;
  while (performance.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`exited (${child.exitCode ?? child.signalCode}) before answering ${url}`);
    try {
      const response = await fetch(url);
      await response.arrayBuffer();
      if (response.status === 200) return performance.now() - since;
    } catch {
      // Not listening yet.
    }
    await Bun.sleep(1);
  }
  throw new Error(`no 200 from ${url} within ${timeoutMs} ms`);
}
