// TwiML: the `<Response>` document switchboard answers a webhook with, read the way Twilio reads it.
import { parseXml, type XmlElement } from './xml.ts';

export interface ParsedTwiml {
  /** Text of every top-level `<Say>`, unescaped and trimmed, in order. */
  say: string[];
  /** `url` of `<Connect><Stream>` (a bidirectional stream), unescaped. */
  streamUrl?: string;
  /** `<Parameter name value>` of that stream, unescaped. */
  parameters: Record<string, string>;
  /** `action` of `<Connect>`, unescaped. */
  connectAction?: string;
  /** Names of the top-level verbs in order, e.g. ['Say', 'Connect'] or ['Say', 'Hangup']. */
  verbs: string[];
  /** The `<Response>` element, for anything else. */
  root: XmlElement;
  raw: string;
}

function textContent(element: XmlElement): string {
  return element.children.map((c) => (typeof c === 'string' ? c : textContent(c))).join('');
}

function childElements(element: XmlElement, name?: string): XmlElement[] {
  return element.children.filter((c): c is XmlElement => typeof c !== 'string' && (name === undefined || c.name === name));
}

/** Parse a TwiML document (throws on malformed XML or a root other than <Response>). */
export function parseTwiml(xml: string): ParsedTwiml {
  const root = parseXml(xml);
  if (root.name !== 'Response') throw new Error(`TwiML: root element is <${root.name}>, expected <Response>`);
  const verbs = childElements(root);
  const twiml: ParsedTwiml = {
    say: verbs.filter((v) => v.name === 'Say').map((v) => textContent(v).trim()),
    parameters: {},
    verbs: verbs.map((v) => v.name),
    root,
    raw: xml,
  };
  const connect = verbs.find((v) => v.name === 'Connect');
  if (connect) {
    if (connect.attributes['action'] !== undefined) twiml.connectAction = connect.attributes['action'];
    const stream = childElements(connect, 'Stream')[0];
    if (stream) {
      if (stream.attributes['url'] !== undefined) twiml.streamUrl = stream.attributes['url'];
      for (const p of childElements(stream, 'Parameter')) {
        const name = p.attributes['name'];
        if (name !== undefined) twiml.parameters[name] = p.attributes['value'] ?? '';
      }
    }
  }
  return twiml;
}
