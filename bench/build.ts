// `bun run bench` must work on a fresh clone: build dist/switchboard when it is missing or older
// than the sources it is built from. Its output goes to stderr: stdout carries only the table.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { BINARY, ROOT } from './targets.ts';

function newestMtimeMs(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return readdirSync(path).reduce((newest, name) => Math.max(newest, newestMtimeMs(join(path, name))), stat.mtimeMs);
}

export function ensureBinary(progress: (message: string) => void): void {
  const sources = Math.max(newestMtimeMs(join(ROOT, 'src')), newestMtimeMs(join(ROOT, 'package.json')));
  if (existsSync(BINARY) && statSync(BINARY).mtimeMs >= sources) return;
  progress(existsSync(BINARY) ? 'dist/switchboard is older than src/: rebuilding' : 'building dist/switchboard');
  const build = Bun.spawnSync(['npm', 'run', '--silent', 'build'], { cwd: ROOT, stdout: 2, stderr: 2 });
  if (build.exitCode !== 0) throw new Error(`npm run build failed (exit ${build.exitCode})`);
}
