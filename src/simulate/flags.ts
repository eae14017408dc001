// Checks of simulate's flags: each problem is one line naming the flag, thrown before any call
// is placed (main.ts prints it as `switchboard: <message>`).
import { existsSync } from 'node:fs';
import { dirname } from 'node:path';
import { UsageError } from '../cli/command.ts';
import { SettingsError } from '../server/settings.ts';

/** A whole number of at least `min`, e.g. --calls. */
export function wholeNumber(name: string, value: string | undefined, fallback: number, min: number): number {
  if (value === undefined) return fallback;
  if (!/^-?\d+$/.test(value.trim())) throw new UsageError(`--${name} must be a whole number (got "${value}")`);
  const n = Number(value);
  if (n < min) throw new UsageError(`--${name} must be at least ${min} (got "${value}")`);
  return n;
}

/** A number of at least 0, e.g. --seconds 2.5. */
export function amount(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  // Number() alone would take "" and " " for 0 and "1e3" for 1000.
  if (!/^(\d+\.?\d*|\.\d+)$/.test(value.trim())) throw new UsageError(`--${name} must be a number of at least 0 (got "${value}")`);
  return Number(value);
}

/** An http(s) URL (--url, --public-url, PUBLIC_URL: a flag's mistake is a usage error, the variable's a setting's). */
export function httpUrl(name: string, value: string): string {
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    // Said below.
  }
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    const Mistake = name.startsWith('--') ? UsageError : SettingsError;
    throw new Mistake(`${name} must be an http(s) URL such as https://voice.example.com (got "${value}")`);
  }
  return value;
}

/** --out is written after the calls: a missing directory must not cost the run. */
export function outputFile(path: string): string {
  if (!existsSync(dirname(path))) throw new UsageError(`--out ${path}: the directory ${dirname(path)} does not exist`);
  return path;
}
