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

/**
 * `serve` as a process: runs until `until` holds for what it printed (stdout + stderr), calls
 * `during` with its URL, then SIGTERM. Both pipes are read to the end (cancelling one would fail
 * the server's next write).
 */
export async function runServe(
  args: string[],
  env: Record<string, string>,
  cwd: string,
  until: (output: string) => boolean,
  during: (url: string) => Promise<void> = async () => {},
): Promise<CliResult> {
  const proc = Bun.spawn([process.execPath, MAIN, 'serve', ...args], {
    cwd,
    env: { PATH: process.env.PATH ?? '', ...env },
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
  while (!until(out.stdout + out.stderr)) {
    const more = new Promise<void>((resolve) => (wake = resolve));
    if ((await Promise.race([more.then(() => false), exited.then(() => true)])) === true) break;
  }
  const url = / listening url=(\S+)/.exec(out.stdout)?.[1];
  if (url && proc.exitCode === null) await during(url.replace('0.0.0.0', '127.0.0.1'));
  proc.kill('SIGTERM');
  const code = await exited;
  await pumped;
  return { code, ...out };
}
