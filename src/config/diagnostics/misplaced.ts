// What to say about a line whose indentation fits nothing above it (found by indentation.ts):
// the likeliest line to change and the column that would fit, or both ways out when the lines
// alone cannot tell which of two is off. Claims only what the columns show.
import { DASH, KEY, label } from './yaml-lines.ts';

/** `line`, `col`: where the mistake likely is; `seen`: the line that fits nothing, where the parser trips. */
export type Mistake = { line: number; col: number; message: string; seen: number };

/**
 * An open block: keys (or list items) at `col` belong to it. `first` until a second one comes;
 * `closed`: the deeper blocks its line ended; `emptied`: the `key:` above that it left empty.
 */
export type Level = { col: number; line: number; label: string; item: boolean; first: boolean; closed: Level[]; emptied?: Level };
/** The last key or list item, which text lines below it may continue. */
export type Owner = Level & { open: boolean };
/** The line that fits nothing; `opens` when it is a `key:` with its value below. */
export type Here = { line: number; col: number; name: string; item: boolean; opens: boolean };

export const at = (l: Level): string => `${l.label} on line ${l.line}`;
export const bad = (line: number, col: number, message: string, seen = line): Mistake => ({ line, col, message: `bad indentation: ${message}`, seen });
const ref = (here: Here) => (here.item ? `the list item on line ${here.line}` : `${here.name} on line ${here.line}`);

export function misplaced(here: Here, levels: Level[], owner: Owner | undefined, root: Level | undefined, after: string[]): Mistake {
  const { line, col, name, item } = here;
  const like = (l: Level) => l.col === col && l.item === item;
  const top = levels.at(-1);
  if (owner !== undefined && top !== undefined && col > top.col) {
    if (owner.first && agrees(after, here, levels, top)) return odd(owner, here);
    // The line above may be the one that is off: it ended the block this line lines up with.
    const sibling = owner.closed.find(like);
    const under = owner.emptied !== undefined && owner.emptied.col < col ? owner.emptied : undefined;
    const orMove = sibling ? `, or ${owner.label} at column ${col} like ${at(sibling)}` : under ? `, or ${owner.label} at column ${col} under ${at(under)}` : '';
    // A `key:` whose lines below are left of it was perhaps meant further left, above them.
    const below = here.opens ? nextLine(here, after) : undefined;
    const left = below && below.col <= col ? levels.findLast((l) => !l.item && (below.item ? l.col <= below.col : l.col < below.col)) : undefined;
    const orLeft = left && left.col !== owner.col ? `, or at column ${left.col} like ${at(left)} to have the lines below it under it` : '';
    return bad(line, col, `${name} is indented more than ${at(owner)}, which has a value, so nothing can go under it; start ${name} at column ${owner.col} like ${owner.label}${orLeft}${orMove}`);
  }
  if (owner?.open && top !== undefined && !owner.item) {
    // The first line under a `key:`, not indented under it, unlike the next key (or item).
    const next = here.opens ? undefined : nextLine(here, after, item);
    if (next !== undefined && next.col > owner.col) {
      return bad(line, col, `${name} at column ${col} is not indented more than ${at(owner)}, unlike ${next.ref} after it; start it at column ${next.col} too`);
    }
    // A first `key:` indented more than the line after it: nothing is under it.
    if (top.first && col < top.col && col > (levels.at(-2)?.col ?? 0) + 1) {
      return bad(top.line, top.col, `${top.label} at column ${top.col} is indented more than ${ref(here)} below it, so nothing is under it; start ${top.label} left of column ${col}`, line);
    }
  }
  if (!item && root !== undefined && col < root.col) {
    return bad(line, col, `${name} is indented less than ${at(root)} (column ${root.col}), the first key of the file; top-level keys must start at the same column`);
  }
  const same = levels.filter((l) => l.item === item);
  const inner = same.find((l) => l.col > col);
  const outer = same.findLast((l) => l.col < col);
  // Two likelier mistakes, when the lines after this one agree with it: the `key:` it falls under
  // (it ended a block at this column), or the first of the block it lines up with no longer.
  const before = outer?.closed.find(like);
  const dedented = before !== undefined && outer !== undefined && agrees(after, here, levels, outer, outer.col) ? outer : undefined;
  const first = inner?.first && agrees(after, here, levels, inner) ? inner : undefined;
  if (dedented !== undefined && first !== undefined) {
    return bad(line, col, `${name} at column ${col} lines up with no ${item ? 'list item' : 'key'} above it; either ${at(dedented)} or ${at(first)} should start at column ${col} too`);
  }
  if (dedented !== undefined) {
    const message = `${dedented.label} at column ${dedented.col} is indented less than ${at(before as Level)} above it and the keys from line ${line} on below it; start it at column ${col} like them`;
    return bad(dedented.line, dedented.col, message, line);
  }
  if (first !== undefined) return odd(first, here);
  const moves = [inner, outer].flatMap((l) => (l === undefined ? [] : [`at column ${l.col} like ${at(l)}`]));
  const what = `${name} at column ${col} lines up with no ${item ? 'list item' : 'key'} above it`;
  if (moves.length === 0) return bad(line, col, `${what}; list items go under a key with nothing after its ":", indented more than that key`);
  return bad(line, col, `${what}; start it ${moves.join(', or ')}`);
}

/** The first of a block is the one off when the lines after it agree with each other. */
function odd(first: Level, here: Here): Mistake {
  const them = here.item ? 'list items' : 'keys';
  return bad(first.line, first.col, `${first.label} at column ${first.col} does not line up with the ${them} after it (${ref(here)} is at column ${here.col}); start it at column ${here.col}`, here.line);
}

/** The next line that is not blank or a comment (with `item`: the next list item, or key). */
function nextLine(here: Here, after: string[], item?: boolean): { col: number; item: boolean; ref: string } | undefined {
  for (const [i, raw] of after.entries()) {
    const text = raw.trimStart();
    const dash = DASH.test(text);
    const key = KEY.exec(text);
    if (/^(#|$)/.test(text) || (item !== undefined && (item ? !dash : dash || key === null))) continue;
    return { col: raw.length - text.length + 1, item: dash, ref: `${dash ? 'the list item' : label(key?.[1] ?? '')} on line ${here.line + 1 + i}` };
  }
  return undefined;
}

/** Whether a later key (or item) in the block around `level` starts at the column of `here`. */
function agrees(after: string[], here: Here, levels: Level[], level: Level, parent = levels[levels.indexOf(level) - 1]?.col ?? 0): boolean {
  let next = true;
  for (const raw of after) {
    const text = raw.trimStart();
    const col = raw.length - text.length + 1;
    if (text === '' || text.startsWith('#')) continue;
    // A `key:` shifted onto the column of its own block's keys: those are no evidence.
    if (next && here.opens && col === here.col) return false;
    next = false;
    if (col > here.col) continue;
    return col === here.col && col > parent && (here.item ? DASH.test(text) : KEY.test(text));
  }
  return false;
}
