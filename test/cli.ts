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
