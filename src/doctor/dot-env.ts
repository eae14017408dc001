// The NAME=VALUE pairs of a .env file, read the way Bun loads it into the environment closely enough
// for doctor to tell which values came from it (Bun itself does the loading; this never sets one).
import { existsSync, readFileSync } from 'node:fs';

const LINE = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*?)\s*$/;

/** `NAME=VALUE` lines; comments and blank lines skipped; a value in matching quotes loses them. */
export function parseDotEnv(text: string): Map<string, string> {
  const pairs = new Map<string, string>();
  for (const line of text.split(/\r?\n/)) {
    const match = LINE.exec(line);
    if (!match) continue;
    let value = match[2]!;
    const quote = value[0];
    if ((quote === '"' || quote === "'" || quote === '`') && value.length >= 2 && value.endsWith(quote)) value = value.slice(1, -1);
    pairs.set(match[1]!, value);
  }
  return pairs;
}

/** The pairs of the .env file at `path`; none when there is no such file. */
export function readDotEnv(path: string): Map<string, string> {
  return existsSync(path) ? parseDotEnv(readFileSync(path, 'utf8')) : new Map();
}
