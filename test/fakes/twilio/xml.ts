// A small strict XML parser, enough to read TwiML: it throws on anything malformed or unescaped.

export interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  children: Array<XmlElement | string>;
}

const NAME_START = /[A-Za-z_:]/;
const NAME_CHAR = /[A-Za-z0-9_:.-]/;
const XML_ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function unescapeXml(text: string, where: string): string {
  return text.replace(/&([^;&<\s]*);|&/g, (match, body: string | undefined) => {
    if (body === undefined) throw new Error(`XML: bare '&' in ${where} (must be escaped as &amp;)`);
    if (body in XML_ENTITIES) return XML_ENTITIES[body]!;
    const numeric = /^#(?:x([0-9A-Fa-f]+)|([0-9]+))$/.exec(body);
    if (numeric) {
      const code = numeric[1] !== undefined ? parseInt(numeric[1], 16) : parseInt(numeric[2]!, 10);
      if (code > 0x10ffff || code === 0) throw new Error(`XML: invalid character reference ${match} in ${where}`);
      return String.fromCodePoint(code);
    }
    throw new Error(`XML: unknown entity ${match} in ${where}`);
  });
}

/** A small strict XML parser: elements, attributes (any order, ' or "), text, CDATA, comments, PIs. */
export function parseXml(source: string): XmlElement {
  let i = source.charCodeAt(0) === 0xfeff ? 1 : 0;
  const fail = (message: string): never => {
    const line = source.slice(0, i).split('\n').length;
    throw new Error(`XML: ${message} (line ${line}, offset ${i})`);
  };
  const startsWith = (s: string) => source.startsWith(s, i);
  const skipWs = () => {
    while (i < source.length && /\s/.test(source[i]!)) i++;
  };
  const skipUntil = (end: string, what: string) => {
    const at = source.indexOf(end, i);
    if (at < 0) fail(`unterminated ${what}`);
    i = at + end.length;
  };
  const readName = (): string => {
    const start = i;
    if (!NAME_START.test(source[i] ?? '')) fail(`expected a name, found ${JSON.stringify(source[i] ?? 'end of input')}`);
    i++;
    while (i < source.length && NAME_CHAR.test(source[i]!)) i++;
    return source.slice(start, i);
  };
  const skipMisc = () => {
    for (;;) {
      skipWs();
      if (startsWith('<?')) skipUntil('?>', 'processing instruction');
      else if (startsWith('<!--')) skipUntil('-->', 'comment');
      else if (startsWith('<!DOCTYPE')) fail('DOCTYPE is not allowed in TwiML');
      else return;
    }
  };
  const parseElement = (): XmlElement => {
    if (source[i] !== '<') fail('expected <');
    i++;
    const name = readName();
    const attributes: Record<string, string> = {};
    for (;;) {
      const before = i;
      skipWs();
      if (startsWith('/>')) {
        i += 2;
        return { name, attributes, children: [] };
      }
      if (source[i] === '>') {
        i++;
        break;
      }
      if (i === before) fail(`expected whitespace before an attribute of <${name}>`);
      const attr = readName();
      skipWs();
      if (source[i] !== '=') fail(`expected = after attribute ${attr} of <${name}>`);
      i++;
      skipWs();
      const quote = source[i];
      if (quote !== '"' && quote !== "'") fail(`attribute ${attr} of <${name}> must be quoted`);
      const end = source.indexOf(quote!, i + 1);
      if (end < 0) fail(`unterminated value of attribute ${attr} of <${name}>`);
      const rawValue = source.slice(i + 1, end);
      if (rawValue.includes('<')) fail(`unescaped '<' in attribute ${attr} of <${name}>`);
      if (attr in attributes) fail(`duplicate attribute ${attr} on <${name}>`);
      attributes[attr] = unescapeXml(rawValue, `attribute ${attr} of <${name}>`);
      i = end + 1;
    }
    const children: Array<XmlElement | string> = [];
    for (;;) {
      if (i >= source.length) fail(`<${name}> is not closed`);
      if (startsWith('</')) {
        i += 2;
        const closing = readName();
        if (closing !== name) fail(`</${closing}> closes <${name}>`);
        skipWs();
        if (source[i] !== '>') fail(`expected > after </${closing}`);
        i++;
        return { name, attributes, children };
      }
      if (startsWith('<!--')) skipUntil('-->', 'comment');
      else if (startsWith('<![CDATA[')) {
        const end = source.indexOf(']]>', i);
        if (end < 0) fail('unterminated CDATA');
        children.push(source.slice(i + 9, end));
        i = end + 3;
      } else if (startsWith('<?')) skipUntil('?>', 'processing instruction');
      else if (source[i] === '<') children.push(parseElement());
      else {
        const end = source.indexOf('<', i);
        const text = source.slice(i, end < 0 ? source.length : end);
        if (text.includes(']]>')) fail("']]>' in text");
        children.push(unescapeXml(text, `text of <${name}>`));
        i = end < 0 ? source.length : end;
      }
    }
  };
  skipMisc();
  if (i >= source.length) fail('empty document');
  const root = parseElement();
  skipMisc();
  if (i < source.length) fail('content after the root element');
  return root;
}
