// Runs the CLI as a user does: a real process from a directory with no .env, a clean environment.
// Asynchronous, so a fake server in the test's own process keeps answering meanwhile.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const MAIN = join(import.meta.dir, '../src/main.ts');
export const ROOT = join(import.meta.dir, '..');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** A scratch directory holding `files` (name -> text). */
export function scratchDir(files: Record<string, string> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'sb-cli-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

export async function runCli(args: string[], env: Record<string, string> = {}, cwd = scratchDir()): Promise<CliResult> {
  const proc = Bun.spawn([process.execPath, MAIN, ...args], {
    cwd,
    env: { PATH: process.env.PATH ?? '', ...env },
    stdout: 'pipe',
    stderr: 'pipe',
  });
  const [stdout, stderr, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
  return { code, stdout, stderr };
}

/** The running `serve` process, for `during`: signal it, and wait for what it prints. */
export interface ServeProcess {
  kill(signal: NodeJS.Signals): void;
  /** Resolves once `check` holds for everything printed so far (stdout + stderr). */
  until(check: (output: string) => boolean): Promise<void>;
}

/**
 * `serve` as a process: runs until `until` holds for what it printed (stdout + stderr), calls
 * `during` with its URL, then SIGTERM. Both pipes are read to the end (cancelling one would fail
 * the server's next write). Logs are readable lines (LOG_FORMAT=text) unless `env` says otherwise;
 * an `undefined` value leaves a variable unset.
 */
export async function runServe(
  args: string[],
  env: Record<string, string | undefined>,
  cwd: string,
  until: (output: string) => boolean,
  during: (url: string, serve: ServeProcess) => Promise<void> = async () => {},
): Promise<CliResult> {
  const fullEnv = Object.entries({ PATH: process.env.PATH ?? '', LOG_FORMAT: 'text', ...env }).filter((e): e is [string, string] => e[1] !== undefined);
  const proc = Bun.spawn([process.execPath, MAIN, 'serve', ...args], {
    cwd,
    env: Object.fromEntries(fullEnv),
    stdout: 'pipe',
    stderr: 'pipe',
  });
  const out = { stdout: '', stderr: '' };
  let wake = () => {};
  const pump = async (name: 'stdout' | 'stderr') => {
    const decoder = new TextDecoder();
    for await (const chunk of proc[name]) {
      out[name] += decoder.decode(chunk);
      wake();
    }
  };
  const pumped = Promise.all([pump('stdout'), pump('stderr')]);
  const exited = proc.exited;
  /** false if the process exited first. */
  const waitFor = async (check: (output: string) => boolean) => {
    while (!check(out.stdout + out.stderr)) {
      const more = new Promise<void>((resolve) => (wake = resolve));
      if ((await Promise.race([more.then(() => false), exited.then(() => true)])) === true) return false;
    }
    return true;
  };
  await waitFor(until);
  const url = / listening url=(\S+)|"msg":"listening".*?"url":"([^"]+)"/.exec(out.stdout)?.slice(1).find(Boolean);
  const serve: ServeProcess = {
    kill: (signal) => proc.kill(signal),
    async until(check) {
      if (!(await waitFor(check))) throw new Error(`serve exited before the expected output; it printed:\n${out.stdout}${out.stderr}`);
    },
  };
  // A failing `during` still stops the server (and is thrown once it has).
  let failure: { error: unknown } | undefined;
  if (url && proc.exitCode === null) await during(url.replace('0.0.0.0', '127.0.0.1'), serve).catch((error: unknown) => (failure = { error }));
  proc.kill('SIGTERM');
  const code = await exited;
  await pumped;
  if (failure) throw failure.error;
  return { code, ...out };
}
