// Indentation mistakes, found the way a person reads YAML: line by line, by the column each key
// or list item starts at. The yaml parser notices them where its grammar breaks, often a line
// away and in its own terms; this names the line whose indentation fits nothing above it.
// Only consulted to explain an error the parser did report (see syntax.ts).
import { at, bad, misplaced, type Level, type Mistake, type Owner } from './misplaced.ts';
import { closes, DASH, depth, KEY, label } from './yaml-lines.ts';

export type { Mistake } from './misplaced.ts';

type Mode = { kind: 'block'; first?: { line: number; col: number } } | { kind: 'quote'; quote: string } | { kind: 'flow'; depth: number };

/** The first line whose indentation fits nothing above it, if any. */
export function indentationMistake(source: string): Mistake | undefined {
  const levels: Level[] = [];
  let owner: Owner | undefined;
  let root: Level | undefined;
  let mode: Mode | undefined;
  const lines = source.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = i + 1;
    const raw = lines[i] ?? '';
    const text = raw.trimStart();
    const col = raw.length - text.length + 1;
    if (text === '' || (mode === undefined && /^(#|---|\.\.\.|%)/.test(text))) continue;
    if (/^\s*\t/.test(raw)) return undefined; // the parser's own message says it: tabs are not allowed

    if (mode?.kind === 'flow') {
      mode.depth += depth(text);
      if (mode.depth <= 0) mode = undefined;
      continue;
    }
    if (owner !== undefined && mode?.kind === 'quote') {
      if (col <= owner.col) return bad(line, col, `line ${line} is inside the quoted value of ${at(owner)}, so it must be indented more than ${owner.label} (past column ${owner.col})`);
      if (closes(text, mode.quote)) mode = undefined;
      continue;
    }
    if (owner !== undefined && mode?.kind === 'block') {
      const first = mode.first;
      if (col > owner.col && col >= (first?.col ?? col)) {
        mode.first ??= { line, col };
        continue;
      }
      mode = undefined;
      if (text.startsWith('#')) continue;
      if (first !== undefined && col > owner.col && !KEY.test(text) && !DASH.test(text)) {
        return bad(line, col, `line ${line} is indented less than line ${first.line}, the first line of the text of ${at(owner)}; start it at column ${first.col} like that line`);
      }
    }

    // The list dashes and the key this line starts with, and what follows them.
    const dashes: number[] = [];
    let rest = text;
    let restCol = col;
    for (let dash = DASH.exec(rest); dash !== null; dash = DASH.exec(rest)) {
      dashes.push(restCol);
      restCol += dash[0].length;
      rest = rest.slice(dash[0].length);
    }
    const key = KEY.exec(rest);
    if (dashes.length === 0 && key === null) {
      if (owner === undefined || col > owner.col) continue; // more of the value above
      return bad(line, col, `line ${line} is not a "key: value" line, so it can only continue the value of ${at(owner)}, and then it must be indented more than ${owner.label} (past column ${owner.col})`);
    }

    const item = key === null || dashes.length > 0;
    const value = key === null ? rest : rest.slice(key[0].length).trim();
    // Nothing, a comment, or only an anchor or a tag (`base: &defaults`): a block follows.
    const open = /^([&!]\S*\s*)?(#.*)?$/.test(value);
    // Fine: the first line, the first of the block the line above opened, or `tools:` with its
    // items at its own column. Else the line must line up with a key (or item) above it.
    const opens = levels.length === 0 || (owner?.open === true && (col > owner.col || (item && !owner.item && col === owner.col)));
    let closed: Level[] = [];
    if (!opens) {
      const index = levels.findLastIndex((l) => l.col === col && l.item === item);
      const here = { line, col, name: key === null ? 'this list item' : label(key[1] ?? ''), item, opens: open };
      if (index === -1) return misplaced(here, levels, owner, root, lines.slice(i + 1));
      closed = levels.splice(index).slice(1);
    }
    const emptied = owner?.open && !opens ? owner : undefined;
    // The line's own column is the first of a block or a sibling; a key after a dash is a first.
    const level = (c: number, name: string, item: boolean): Level =>
      c === col ? { col, line, label: name, item, first: opens, closed, emptied } : { col: c, line, label: name, item, first: true, closed: [] };
    for (const dash of dashes) levels.push(level(dash, 'the list item', true));
    if (key !== null) levels.push(level(restCol, label(key[1] ?? ''), false));
    root ??= levels[0];
    owner = { ...(levels.at(-1) as Level), open };
    if (/^[|>][-+0-9]*\s*(#.*)?$/.test(value)) mode = { kind: 'block' };
    else if (/^["']/.test(value) && !closes(value.slice(1), value[0] ?? '')) mode = { kind: 'quote', quote: value[0] ?? '' };
    else if (/^[[{]/.test(value) && depth(value) > 0) mode = { kind: 'flow', depth: depth(value) };
  }
  return undefined;
}
