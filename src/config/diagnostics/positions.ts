// Maps a path into the parsed data back to a LINE:COL in the YAML source.
import { isMap, isScalar, isSeq, type Document, type LineCounter, type Node } from 'yaml';
import type { PathKey } from '../interpolate.ts';

/** `agents.greeter.tools[1]`. */
export function formatPath(path: readonly PathKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out === '' ? key : `.${key}`;
  }
  return out;
}

export type Found = {
  /** The node at the full path, if it exists. */
  node: Node | undefined;
  /** Where to point: the value, its key, or (when missing) the closest ancestor. */
  offset: number | undefined;
  /** The map key of the last segment, when there is one (`+15550002222:` unquoted is a number). */
  key?: Node;
};

/**
 * `at: 'key'` points at the map key of the last segment (unknown keys, bad ids).
 * A missing node (e.g. an absent required key) points at the key of its nearest existing
 * ancestor, which is where the user has to add it.
 */
export function find(doc: Document, path: readonly PathKey[], at: 'key' | 'value' = 'value'): Found {
  let node: unknown = doc.contents;
  let keyNode: Node | undefined;
  let fallback = start(node);
  for (const segment of path) {
    let next: unknown;
    let nextKey: Node | undefined;
    if (isMap(node)) {
      const pair = node.items.find((p) => String(isScalar(p.key) ? p.key.value : p.key) === String(segment));
      if (pair === undefined) return { node: undefined, offset: fallback };
      next = pair.value;
      nextKey = isScalar(pair.key) ? pair.key : undefined;
    } else if (isSeq(node) && typeof segment === 'number' && segment < node.items.length) {
      next = node.items[segment];
    } else {
      return { node: undefined, offset: fallback };
    }
    node = next;
    keyNode = nextKey;
    fallback = start(keyNode) ?? start(node) ?? fallback;
  }
  const found = isNode(node) ? node : undefined;
  // An empty value (`voice:` with nothing after it) has no text of its own to point at.
  const empty = found === undefined || (isScalar(found) && found.range?.[0] === found.range?.[1]);
  const offset = at === 'key' || empty ? (start(keyNode) ?? start(found)) : start(found);
  return { node: found, offset: offset ?? fallback, key: keyNode };
}

export function lineCol(lineCounter: LineCounter, offset: number | undefined): { line: number; col: number } {
  if (offset === undefined) return { line: 1, col: 1 };
  const { line, col } = lineCounter.linePos(offset);
  return { line, col };
}

function isNode(value: unknown): value is Node {
  return isMap(value) || isSeq(value) || isScalar(value);
}

function start(node: unknown): number | undefined {
  return isNode(node) ? node.range?.[0] : undefined;
}
