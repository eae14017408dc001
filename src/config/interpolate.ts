// ${ENV} interpolation, done on the YAML AST so every error keeps the position of its scalar
// and keys are never touched. The values substituted from the environment are reported
// back so error messages can be kept free of them: they are usually secrets.
import { isMap, isScalar, isSeq, type Document, type Node } from 'yaml';

export type PathKey = string | number;

export type Interpolated = {
  value: string;
  /** Referenced variables that are unset and have no default. */
  missing: string[];
  /** Malformed `${...}` references, as written in the file (not secret). */
  malformed: string[];
  /** Values taken from the environment; never show these. */
  secrets: string[];
};

const REFERENCE = /^([A-Za-z_][A-Za-z0-9_]*)(?::-([\s\S]*))?$/;

/** `${NAME}`, `${NAME:-default}` (default when unset or empty, as in sh), `$${` for a literal `${`. */
export function interpolate(text: string, env: Record<string, string | undefined>): Interpolated {
  const out: Interpolated = { value: '', missing: [], malformed: [], secrets: [] };
  let i = 0;
  while (i < text.length) {
    if (text.startsWith('$${', i)) {
      out.value += '${';
      i += 3;
      continue;
    }
    if (!text.startsWith('${', i)) {
      out.value += text[i];
      i += 1;
      continue;
    }
    const end = text.indexOf('}', i + 2);
    const body = end === -1 ? undefined : text.slice(i + 2, end);
    const match = body === undefined ? null : REFERENCE.exec(body);
    if (match === null) {
      out.malformed.push(end === -1 ? text.slice(i) : text.slice(i, end + 1));
      out.value += end === -1 ? text.slice(i) : text.slice(i, end + 1);
      i = end === -1 ? text.length : end + 1;
      continue;
    }
    const name = match[1] ?? '';
    const fallback = match[2];
    const set = env[name];
    if (fallback !== undefined && (set === undefined || set === '')) {
      out.value += fallback;
    } else if (set === undefined) {
      out.missing.push(name);
    } else {
      out.value += set;
      if (set !== '') out.secrets.push(set);
    }
    i = end + 1;
  }
  return out;
}

export type InterpolationProblem = { path: PathKey[]; message: string };
export type InterpolationResult = {
  problems: InterpolationProblem[];
  /** `$NAME` written without braces: sent as written, which is rarely what was meant. */
  bare: InterpolationProblem[];
  /** Per rewritten scalar: its text as written, and the secrets now inside it. */
  rewritten: Map<Node, { source: string; secrets: string[] }>;
};

/** `$TOKEN` (an environment variable's usual spelling) where `${TOKEN}` was meant; `$$` and `${` are not it. */
const BARE = /(?<!\$)\$([A-Z_][A-Z0-9_]+)\b/;

/** Rewrites every string scalar value of `doc` in place. */
export function interpolateDocument(doc: Document, env: Record<string, string | undefined>): InterpolationResult {
  const result: InterpolationResult = { problems: [], bare: [], rewritten: new Map() };
  const walk = (node: unknown, path: PathKey[]): void => {
    if (isMap(node)) {
      for (const pair of node.items) {
        const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
        walk(pair.value, [...path, key]);
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, index) => walk(item, [...path, index]));
    } else if (isScalar(node) && typeof node.value === 'string' && BARE.test(node.value)) {
      for (const [, name] of node.value.matchAll(new RegExp(BARE, 'g'))) {
        result.bare.push({ path, message: `$${name} is sent as written, not read from the environment; write \${${name}}` });
      }
    }
    if (isScalar(node) && typeof node.value === 'string' && node.value.includes('${')) {
      const source = node.value;
      const done = interpolate(source, env);
      for (const name of done.missing) {
        result.problems.push({
          path,
          message: `environment variable ${name} is not set; export it, put it in .env, or write \${${name}:-default}`,
        });
      }
      for (const bad of done.malformed) {
        result.problems.push({
          path,
          message: `malformed reference ${JSON.stringify(bad)}; write \${NAME} or \${NAME:-default}, or $\${ for a literal \${`,
        });
      }
      node.value = done.value;
      result.rewritten.set(node, { source, secrets: done.secrets });
    }
  };
  walk(doc.contents, []);
  return result;
}
