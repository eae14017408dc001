// YAML syntax errors as ConfigErrors. The parser reports an indentation mistake in its own terms
// ("Nested mappings are not allowed in compact mappings"), often a line away from it, and then
// more errors that follow from it; those are replaced by one hint at the line that is off.
import type { LineCounter, YAMLError } from 'yaml';
import type { ConfigError } from './errors.ts';
import { indentationMistake } from './indentation.ts';
import { lineCol } from './positions.ts';

// What the parser says when a line is indented wrongly (and when it reads on after one).
const INDENTATION = new Set(['BAD_INDENT', 'BLOCK_AS_IMPLICIT_KEY', 'MULTILINE_IMPLICIT_KEY', 'MISSING_CHAR', 'UNEXPECTED_TOKEN']);

export function syntaxErrors(errors: readonly YAMLError[], source: string, file: string, lineCounter: LineCounter): ConfigError[] {
  const mistake = indentationMistake(source);
  const lines = (e: YAMLError) => {
    const [start, end = start] = e.linePos ?? [];
    return { start: start?.line ?? 0, end: end?.line ?? 0 };
  };
  const about = (e: YAMLError) => mistake !== undefined && INDENTATION.has(e.code);
  // Shown when it explains an error that starts or ends within a line of where the parser trips
  // (else it is a misreading of ours); the parser's later indentation errors then follow from it.
  const seen = mistake?.seen ?? 0;
  const near = (e: YAMLError) => about(e) && lines(e).start - 1 <= seen && seen <= lines(e).end + 1;
  if (mistake === undefined || !errors.some(near)) return errors.map((e) => syntaxError(e, file, lineCounter, source));
  const rest = errors.filter((e) => !near(e) && !(about(e) && lines(e).start > seen));
  return [{ file, line: mistake.line, col: mistake.col, path: '', message: mistake.message }, ...rest.map((e) => syntaxError(e, file, lineCounter, source))];
}

function syntaxError(error: YAMLError, file: string, lineCounter: LineCounter, source: string): ConfigError {
  const { line, col } = error.linePos?.[0] ?? lineCol(lineCounter, error.pos[0]);
  // prettyErrors appends " at line L, column C:" and a code excerpt; the position is ours to print.
  const first = (error.message.split('\n')[0] ?? '').replace(/ at line \d+, column \d+:?$/, '');
  return { file, line, col, path: '', message: plainWords(error, first, source.split(/\r?\n/)[line - 1] ?? '') };
}

/** The parser's message in the words of someone editing YAML, for the mistakes newcomers make most. */
function plainWords(error: YAMLError, first: string, text: string): string {
  switch (error.code) {
    case 'MULTIPLE_DOCS':
      return 'only one YAML document is allowed; remove the extra `---`';
    case 'TAB_AS_INDENT':
      return 'a tab: YAML indents with spaces; replace the tab with spaces';
    case 'BAD_DQ_ESCAPE': {
      // `"\d{16}"`: in double quotes a backslash starts an escape (\n, \t); regexes want it literal.
      const escape = /escape sequence (\\\S)/.exec(first)?.[1] ?? 'a backslash';
      return `${escape} is not an escape YAML knows inside double quotes; use single quotes for regexes and backslashes, e.g. '\\d{16}'`;
    }
    case 'MULTILINE_IMPLICIT_KEY': {
      // `instructions hi` where `instructions: hi` was meant: the parser reads on for a colon.
      const words = /^\s*(?:-\s+)?([A-Za-z_][\w-]*)\s+\S/.exec(text);
      if (words && !text.includes(':')) return `missing colon: write "${words[1]}: …" (a key, a colon and a space, then the value)`;
      const lone = /^\s*(?:-\s+)?([A-Za-z_][\w-]*)\s*$/.exec(text);
      if (lone) return `missing colon: write "${lone[1]}:" (a key that holds the lines below it ends with a colon)`;
      return first;
    }
    default:
      return first;
  }
}
