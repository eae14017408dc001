// Turns zod issues into messages written for someone editing YAML. Messages never include the
// offending value (it may have come from the environment), only its kind.
import type { z } from 'zod';
import type { Severity } from './errors.ts';
import type { PathKey } from '../interpolate.ts';

export type Problem = {
  path: PathKey[];
  at: 'key' | 'value';
  message: string;
  /** Used instead of `message` when the value came from the environment: it quotes no input. */
  withoutInput?: string;
};

/** Worth knowing about a config that loads; positions are added by the loader. */
export type Notice = Problem & { severity: Severity };

// The few zod internals needed to walk a schema (zod 4 exposes them as `_zod.def`).
type Def = {
  type: string;
  shape?: Record<string, unknown>;
  valueType?: unknown;
  element?: unknown;
  innerType?: unknown;
  in?: unknown;
};
const defOf = (schema: unknown): Def | undefined => (schema as { _zod?: { def?: Def } } | undefined)?._zod?.def;

/** `numberKey(path)`: the map key at `path` was written as a number (YAML's reading, not the data's string). */
export function describeIssues(issues: readonly z.core.$ZodIssue[], data: unknown, schema: z.ZodType, numberKey: (path: PathKey[]) => boolean = () => false): Problem[] {
  return issues.flatMap((issue): Problem[] => {
    const path = issue.path.map((k) => (typeof k === 'number' ? k : String(k)));
    switch (issue.code) {
      case 'unrecognized_keys': {
        const allowed = allowedKeys(schema, path);
        return issue.keys.map((key) => ({ path: [...path, key], at: 'key', message: unknownKey(key, allowed) }));
      }
      case 'invalid_key': {
        // `+15550002222: billing` unquoted: YAML reads the key as a number and the + is gone.
        const key = path.at(-1);
        if (typeof key === 'string' && /^[1-9][0-9]{6,14}$/.test(key) && numberKey(path)) return [{ path, at: 'key', message: unquotedNumber(key) }];
        return [{ path, at: 'key', message: issue.issues.map((i) => i.message).join('; ') }];
      }
      case 'invalid_type': {
        const value = valueAt(data, path);
        if (value === undefined) return [{ path, at: 'value', message: `missing required key "${String(path.at(-1))}"` }];
        if (issue.expected === 'string' && typeof value === 'number') {
          const digits = String(value);
          const message = /^[1-9][0-9]{6,14}$/.test(digits) ? unquotedNumber(digits) : `expected a string, got a number; quote it: "${digits}"`;
          return [{ path, at: 'value', message, withoutInput: 'expected a string, got a number; quote it' }];
        }
        const message = `expected ${article(issue.expected)}, got ${article(kindOf(value))}`;
        const setting = misplacedSetting(schema, path, data);
        return [setting === undefined ? { path, at: 'value', message } : { path, at: 'key', message: `${message}: ${setting}` }];
      }
      case 'invalid_value': {
        const values = issue.values.map((v) => String(v));
        const message = values.length === 1 ? `must be ${values[0]}` : `must be one of: ${values.join(', ')}`;
        return [{ path, at: 'value', message }];
      }
      case 'custom': {
        const withoutInput: unknown = issue.params?.withoutInput;
        if (typeof withoutInput === 'string') return [{ path, at: 'value', message: issue.message, withoutInput }];
        return [{ path, at: 'value', message: issue.message }];
      }
      default:
        return [{ path, at: 'value', message: issue.message }];
    }
  });
}

/** A phone number written without quotes: YAML took `+15550002222` for the number 15550002222. */
function unquotedNumber(digits: string): string {
  return `YAML read this as the number ${digits}; quote phone numbers, with their +: "+${digits}"`;
}

function unknownKey(key: string, allowed: string[]): string {
  const near = closest(key, allowed);
  if (near !== undefined) return `unknown key "${key}"; did you mean "${near}"?`;
  return allowed.length ? `unknown key "${key}"; allowed keys: ${allowed.join(', ')}` : `unknown key "${key}"`;
}

// `agents: { greeter: {...}, voice: verse }`: a setting indented two spaces too few is read as an
// entry of the map above it. Said when the entry's name is one its own value would accept as a key.
const ENTRIES: Record<string, [ids: string, entry: string, anId: string]> = {
  agents: ['agent ids', 'agent', 'an agent id'],
  tools: ['tool ids', 'tool', 'a tool id'],
  mcp_servers: ['MCP server ids', 'MCP server', 'an MCP server id'],
  parameters: ['parameter names', 'parameter', 'a parameter name'],
};
function misplacedSetting(schema: unknown, path: readonly PathKey[], data: unknown): string | undefined {
  const name = path.at(-1);
  const [ids, entry, anId] = ENTRIES[String(path.at(-2))] ?? [];
  if (typeof name !== 'string' || entry === undefined || !allowedKeys(schema, path).includes(name)) return undefined;
  const above = Object.keys(valueAt(data, path.slice(0, -1)) ?? {}).indexOf(name) > 0;
  const fix = above ? ` of the ${entry} above, indent it like that ${entry}'s keys` : `, put it under ${anId}`;
  return `"${name}" is at the indentation of ${ids}; if it is a setting${fix}`;
}

/** The keys the strict object at `path` accepts, read off the schema itself. */
export function allowedKeys(schema: unknown, path: readonly PathKey[]): string[] {
  let node = unwrap(schema);
  for (const segment of path) {
    const def = defOf(node);
    if (def?.type === 'object') node = def.shape?.[String(segment)];
    else if (def?.type === 'record') node = def.valueType;
    else if (def?.type === 'array') node = def.element;
    else return [];
    node = unwrap(node);
  }
  const def = defOf(node);
  return def?.type === 'object' ? Object.keys(def.shape ?? {}) : [];
}

function unwrap(schema: unknown): unknown {
  for (;;) {
    const def = defOf(schema);
    if (def === undefined) return schema;
    if (def.type === 'pipe') schema = def.in;
    else if (['optional', 'default', 'prefault', 'nullable', 'readonly', 'catch'].includes(def.type)) schema = def.innerType;
    else return schema;
  }
}

function valueAt(data: unknown, path: readonly PathKey[]): unknown {
  let value = data;
  for (const key of path) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<PathKey, unknown>)[key];
  }
  return value;
}

function kindOf(value: unknown): string {
  if (value === null) return 'empty value';
  if (Array.isArray(value)) return 'list';
  if (typeof value === 'object') return 'map';
  return typeof value;
}

const KIND_NAMES: Record<string, string> = { object: 'map', record: 'map', array: 'list', boolean: 'boolean (true or false)' };
function article(kind: string): string {
  const name = KIND_NAMES[kind] ?? kind;
  if (name === 'empty value') return 'an empty value';
  return /^[aeiou]/.test(name) ? `an ${name}` : `a ${name}`;
}

/** For "did you mean": the first candidate within a third of its length (at least 1) of `word`. */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  return candidates.find((c) => distance(c, word) <= Math.max(1, Math.floor(c.length / 3)));
}

/** Levenshtein distance. */
function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      row.push(Math.min((prev[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost));
    }
    prev = row;
  }
  return prev[b.length] ?? 0;
}
