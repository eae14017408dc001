// Reading YAML a line at a time, for indentation.ts: just enough of the grammar to tell a key, a
// list item, and where a quoted or flow value ends.

/** A `key:` at the start of a line (plain or quoted), followed by a space or the line's end. */
export const KEY = /^("(?:[^"\\]|\\.)*"|'(?:[^']|'')*'|[^\s#"'{}[\],&*!|>%@`][^#]*?):(?=\s|$)/;
/** A list dash at the start of a line. */
export const DASH = /^-(?:\s+|$)/;

/** `"voice:"`, for messages: the key as written, unquoted. */
export const label = (key: string): string => JSON.stringify(`${key.replace(/^(["'])(.*)\1$/, '$2')}:`);

/** Whether `text` holds the closing `quote` of a quoted scalar (`\"` and `''` do not close). */
export function closes(text: string, quote: string): boolean {
  const body = quote === '"' ? text.replace(/\\./g, '') : text.replace(/''/g, '');
  return body.includes(quote);
}

/** Flow brackets opened minus closed on a line, outside quotes and comments. */
export function depth(text: string): number {
  let n = 0;
  let quote = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote !== '') {
      if (c === '\\' && quote === '"') i++;
      else if (c === quote) quote = '';
    } else if (c === '"' || (c === "'" && /[\s[{,:]/.test(text[i - 1] ?? ' '))) quote = c;
    else if (c === '#' && /\s/.test(text[i - 1] ?? ' ')) break;
    else if (c === '[' || c === '{') n++;
    else if (c === ']' || c === '}') n--;
  }
  return n;
}
