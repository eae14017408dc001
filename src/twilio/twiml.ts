// TwiML is XML built from config and caller input: every value is escaped, no exceptions.

const XML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
};

export function escapeXml(value: string): string {
  return value.replace(/[&<>"']/g, (ch) => XML_ESCAPES[ch] ?? ch);
}

const XML_UNESCAPES: Record<string, string> = { lt: '<', gt: '>', quot: '"', apos: "'", amp: '&' };

/** The inverse of escapeXml, for reading back TwiML (simulate). */
export function unescapeXml(value: string): string {
  return value.replace(/&(lt|gt|quot|apos|amp);/g, (_, name: string) => XML_UNESCAPES[name] ?? '');
}

export interface StreamTwiml {
  /** Spoken by Twilio before the stream connects (optional). */
  say?: string;
  /** wss:// URL of our media stream, without a query string (Twilio's rule). */
  streamUrl: string;
  /** Arrive in the stream's `start.customParameters`. */
  parameters?: Record<string, string>;
  /** Twilio requests this when the stream ends (whoever ended it) and runs the TwiML it returns. */
  action?: string;
}

const PROLOGUE = '<?xml version="1.0" encoding="UTF-8"?>';

export function streamTwiml({ say, streamUrl, parameters = {}, action }: StreamTwiml): string {
  const params = Object.entries(parameters)
    .map(([name, value]) => `<Parameter name="${escapeXml(name)}" value="${escapeXml(value)}"/>`)
    .join('');
  const connect = action ? `<Connect action="${escapeXml(action)}">` : '<Connect>';
  return (
    `${PROLOGUE}<Response>` +
    (say ? `<Say>${escapeXml(say)}</Say>` : '') +
    `${connect}<Stream url="${escapeXml(streamUrl)}">${params}</Stream></Connect>` +
    '</Response>'
  );
}

export interface Dial {
  /** E.164 number or sip: URI. */
  to: string;
  callerId?: string;
  timeoutSeconds?: number;
  record?: boolean;
}

/** Hands the caller to `to` (the agent has announced it); the call ends when that leg does. */
export function dialTwiml({ to, callerId, timeoutSeconds, record }: Dial): string {
  const attrs =
    (callerId ? ` callerId="${escapeXml(callerId)}"` : '') +
    (timeoutSeconds !== undefined ? ` timeout="${timeoutSeconds}"` : '') +
    (record ? ' record="record-from-answer"' : '');
  const target = to.startsWith('sip:') ? `<Sip>${escapeXml(to)}</Sip>` : `<Number>${escapeXml(to)}</Number>`;
  return `${PROLOGUE}<Response><Dial${attrs}>${target}</Dial></Response>`;
}

/** Says a message (if any), then transfers the caller (`dial`: E.164 number or sip: URI) or hangs up. */
export function sayThenTwiml({ say, dial }: { say?: string; dial?: string }): string {
  const spoken = say ? `<Say>${escapeXml(say)}</Say>` : '';
  const then = !dial
    ? '<Hangup/>'
    : dial.startsWith('sip:')
      ? `<Dial><Sip>${escapeXml(dial)}</Sip></Dial>`
      : `<Dial>${escapeXml(dial)}</Dial>`;
  return `${PROLOGUE}<Response>${spoken}${then}</Response>`;
}
