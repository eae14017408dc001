// A fake Twilio: the phone network side of a call, on loopback.
//
// It sends the signed voice webhook, parses the TwiML, opens the Media Streams WebSocket the way
// Twilio does (signed upgrade, connected/start/media/dtmf/stop), and plays the part of Twilio's
// media player for what switchboard sends back (media, mark, clear), including mark echoes.
// Protocol truth: /work/shared/docs/twilio-media-streams.md. When this file disagrees, it is wrong.
import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import { connect as netConnect } from 'node:net';
import { concatBytes, fromBase64, isStrictBase64, toBase64 } from './bytes.ts';

// ---------------------------------------------------------------------------------------------
// Signatures

export type SignatureParams = Record<string, string | readonly string[]>;

/**
 * Twilio's request signature: base64(HMAC-SHA1(authToken, url + for each key sorted: key + value)).
 * A key with several values contributes each distinct value, values sorted (as the `twilio`
 * package's `getExpectedTwilioSignature` does). For a WebSocket upgrade: the wss:// URL, no params.
 */
export function twilioSignature(authToken: string, url: string, params: SignatureParams = {}): string {
  let data = url;
  for (const key of Object.keys(params).sort()) {
    const value = params[key]!;
    if (typeof value === 'string') {
      data += key + value;
    } else {
      for (const v of [...new Set(value)].sort()) data += key + v;
    }
  }
  return createHmac('sha1', authToken).update(Buffer.from(data, 'utf-8')).digest('base64');
}

// ---------------------------------------------------------------------------------------------
// TwiML

export interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  children: Array<XmlElement | string>;
}

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

// ---------------------------------------------------------------------------------------------
// IDs and shapes

function hex32(): string {
  return randomBytes(16).toString('hex');
}
export const newCallSid = () => `CA${hex32()}`;
export const newAccountSid = () => `AC${hex32()}`;
export const newStreamSid = () => `MZ${hex32()}`;

export interface TwilioCallParams {
  CallSid: string;
  AccountSid: string;
  From: string;
  To: string;
  Called: string;
  Caller: string;
  CallStatus: string;
  Direction: string;
  ApiVersion: string;
}

/** Webhook params: defaults are overridden; a key set to `undefined` is left out. */
export type WebhookParams = Partial<TwilioCallParams> & Record<string, string | undefined>;

export interface WebhookOptions {
  /** Path (with optional query) under both publicUrl and serverUrl (default '/incoming-call'). */
  path?: string;
  /** Extra or overriding request headers (e.g. a forged `Host` or `X-Forwarded-Host`). */
  headers?: Record<string, string>;
  /** Sign the request (default: true when an authToken is configured). */
  sign?: boolean;
  /** Twilio sends GET with the params in the query string, signing the URL only. */
  method?: 'POST' | 'GET';
}

export interface WebhookResult {
  status: number;
  body: string;
  headers: Headers;
  /** Parsed when the body is XML (a body that looks like XML but does not parse throws). */
  twiml?: ParsedTwiml;
  /** The params sent. */
  params: Record<string, string>;
  /** The URL signed (public), and the signature sent, if any. */
  signedUrl: string;
  signature?: string;
}

export interface UpgradeResult {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export type PlaybackMode = 'realtime' | 'instant';

export interface CallOptions {
  /** Webhook params (ignored with `twiml`). */
  params?: WebhookParams;
  webhook?: WebhookOptions;
  /** Skip the webhook and use this TwiML. */
  twiml?: ParsedTwiml;
  /** Override upgrade headers (e.g. a wrong `X-Twilio-Signature`). */
  headers?: Record<string, string>;
  /** Sign the upgrade (default: true when an authToken is configured). */
  signUpgrade?: boolean;
  /** Send `connected` and `start` on open (default true). With false, call `sendConnected()` / `sendStart()`. */
  autoStart?: boolean;
  /** Replace `start.customParameters` (default: the TwiML `<Parameter>`s). */
  customParameters?: Record<string, string>;
  /** Replace `start.mediaFormat`. */
  mediaFormat?: { encoding: string; sampleRate: number; channels: number };
  playback?: PlaybackMode;
  autoMarks?: boolean;
}

export interface FakeTwilioOptions {
  /** Where switchboard really listens, e.g. http://127.0.0.1:PORT */
  serverUrl: string;
  /** What switchboard believes its public origin is, e.g. https://voice.example.com */
  publicUrl: string;
  /** Sign webhooks and upgrades with it when given. */
  authToken?: string;
  accountSid?: string;
  /** Defaults for calls (see CallOptions). */
  playback?: PlaybackMode;
  autoMarks?: boolean;
}

// ---------------------------------------------------------------------------------------------
// FakeTwilio

export class FakeTwilio {
  readonly serverUrl: string;
  readonly publicUrl: string;
  readonly authToken: string | undefined;
  readonly accountSid: string;
  readonly calls: FakeCall[] = [];
  readonly #defaults: { playback: PlaybackMode; autoMarks: boolean };

  constructor(options: FakeTwilioOptions) {
    this.serverUrl = options.serverUrl.replace(/\/+$/, '');
    this.publicUrl = options.publicUrl.replace(/\/+$/, '');
    this.authToken = options.authToken;
    this.accountSid = options.accountSid ?? newAccountSid();
    this.#defaults = { playback: options.playback ?? 'instant', autoMarks: options.autoMarks ?? true };
  }

  /** Twilio's signature of `url` + params with this account's auth token. */
  signature(url: string, params: SignatureParams = {}): string {
    if (this.authToken === undefined) throw new Error('FakeTwilio: no authToken to sign with');
    return twilioSignature(this.authToken, url, params);
  }

  /** Map a public http(s)/ws(s) URL onto serverUrl (same path and query). */
  toServerUrl(publicUrl: string, protocol: 'http' | 'ws' = 'http'): string {
    const target = new URL(publicUrl);
    const base = new URL(this.serverUrl);
    const scheme = protocol === 'ws' ? (base.protocol === 'https:' ? 'wss:' : 'ws:') : base.protocol;
    return `${scheme}//${base.host}${target.pathname}${target.search}`;
  }

  /** The voice webhook Twilio sends when a call comes in. */
  webhook(params: WebhookParams = {}, opts: WebhookOptions = {}): Promise<WebhookResult> {
    const path = opts.path ?? '/incoming-call';
    const from = params.From ?? '+14155550100';
    const to = params.To ?? '+14155550199';
    const defaults: Record<string, string> = {
      CallSid: newCallSid(),
      AccountSid: this.accountSid,
      From: from,
      To: to,
      Called: to,
      Caller: from,
      CallStatus: 'ringing',
      Direction: 'inbound',
      ApiVersion: '2010-04-01',
      FromCountry: 'US',
      ToCountry: 'US',
    };
    return this.request(this.publicUrl + path, mergeParams(defaults, params), opts);
  }

  /**
   * A signed Twilio request to a public URL (e.g. a `<Connect action>`), sent to serverUrl.
   * The signature is over `publicUrl` exactly as given.
   */
  async request(publicUrl: string, params: Record<string, string>, opts: Omit<WebhookOptions, 'path'> = {}): Promise<WebhookResult> {
    const method = opts.method ?? 'POST';
    const sign = opts.sign ?? this.authToken !== undefined;
    let signedUrl = publicUrl;
    let body: string | undefined;
    if (method === 'GET') {
      const query = new URLSearchParams(params).toString();
      if (query) signedUrl += (publicUrl.includes('?') ? '&' : '?') + query;
    } else {
      body = new URLSearchParams(params).toString();
    }
    const headers = new Headers({ 'User-Agent': 'TwilioProxy/1.1', Accept: '*/*', 'I-Twilio-Idempotency-Token': randomUUID() });
    if (method === 'POST') headers.set('Content-Type', 'application/x-www-form-urlencoded; charset=utf-8');
    let signature: string | undefined;
    if (sign) {
      signature = this.signature(signedUrl, method === 'GET' ? {} : params);
      headers.set('X-Twilio-Signature', signature);
    }
    for (const [k, v] of Object.entries(opts.headers ?? {})) headers.set(k, v);
    const response = await fetch(this.toServerUrl(signedUrl), { method, headers, body, redirect: 'manual' });
    const text = await response.text();
    const result: WebhookResult = { status: response.status, body: text, headers: response.headers, params, signedUrl, signature };
    if (text.trimStart().startsWith('<')) {
      try {
        result.twiml = parseTwiml(text);
      } catch (error) {
        throw new Error(`FakeTwilio: ${method} ${signedUrl} answered ${response.status} with TwiML that does not parse: ${(error as Error).message}\n${text}`);
      }
    }
    return result;
  }

  /**
   * A bare WebSocket upgrade request (raw HTTP over TCP) to learn the status switchboard answers
   * with, e.g. 403 for a bad signature. A 101 is closed at once.
   */
  upgrade(opts: { streamUrl?: string; headers?: Record<string, string>; sign?: boolean; timeoutMs?: number } = {}): Promise<UpgradeResult> {
    const streamUrl = opts.streamUrl ?? `${this.publicUrl.replace(/^http/, 'ws')}/media-stream`;
    const target = new URL(this.toServerUrl(streamUrl, 'ws'));
    const headers: Record<string, string> = {
      Host: target.host,
      Upgrade: 'websocket',
      Connection: 'Upgrade',
      'Sec-WebSocket-Key': randomBytes(16).toString('base64'),
      'Sec-WebSocket-Version': '13',
      'User-Agent': 'Twilio.TmeWs/1.0',
    };
    if (opts.sign ?? this.authToken !== undefined) headers['X-Twilio-Signature'] = this.signature(streamUrl);
    Object.assign(headers, opts.headers ?? {});
    const request =
      `GET ${target.pathname}${target.search} HTTP/1.1\r\n` +
      Object.entries(headers)
        .map(([k, v]) => `${k}: ${v}\r\n`)
        .join('') +
      '\r\n';
    return new Promise((resolve, reject) => {
      const socket = netConnect({ host: target.hostname, port: Number(target.port) });
      let buffer = Buffer.alloc(0);
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new Error(`FakeTwilio.upgrade: no complete answer within ${opts.timeoutMs ?? 5000}ms`));
      }, opts.timeoutMs ?? 5000);
      const tryFinish = (ended: boolean) => {
        const headerEnd = buffer.indexOf('\r\n\r\n');
        if (headerEnd < 0) {
          if (ended) {
            clearTimeout(timer);
            reject(new Error(`FakeTwilio.upgrade: connection closed before a response: ${JSON.stringify(buffer.toString())}`));
          }
          return;
        }
        const lines = buffer.subarray(0, headerEnd).toString('latin1').split('\r\n');
        const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(lines[0] ?? '')?.[1] ?? NaN);
        const responseHeaders: Record<string, string> = {};
        for (const line of lines.slice(1)) {
          const colon = line.indexOf(':');
          if (colon > 0) responseHeaders[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
        }
        const bodyBytes = buffer.subarray(headerEnd + 4);
        const length = Number(responseHeaders['content-length'] ?? 0);
        if (status !== 101 && !ended && bodyBytes.length < length) return;
        clearTimeout(timer);
        socket.destroy();
        resolve({ status, headers: responseHeaders, body: status === 101 ? '' : bodyBytes.subarray(0, length || undefined).toString() });
      };
      socket.on('connect', () => socket.write(request));
      socket.on('data', (chunk: Buffer) => {
        buffer = Buffer.concat([buffer, chunk]);
        tryFinish(false);
      });
      socket.on('end', () => tryFinish(true));
      socket.on('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
    });
  }

  /** Webhook (unless `twiml` given), then the Media Streams WebSocket, then connected + start. */
  async call(opts: CallOptions = {}): Promise<FakeCall> {
    let twiml = opts.twiml;
    let callSid = opts.params?.CallSid;
    const params = opts.params ?? {};
    if (!twiml) {
      const answer = await this.webhook(params, opts.webhook);
      if (answer.status < 200 || answer.status >= 300 || !answer.twiml) {
        throw new Error(`FakeTwilio: webhook answered ${answer.status}, not TwiML:\n${answer.body}`);
      }
      twiml = answer.twiml;
      callSid = answer.params['CallSid'];
    }
    if (!twiml.streamUrl) throw new Error(`FakeTwilio: the TwiML has no <Connect><Stream url>:\n${twiml.raw}`);
    const call = new FakeCall(this, {
      twiml,
      callSid: callSid ?? newCallSid(),
      from: params.From ?? '+14155550100',
      to: params.To ?? '+14155550199',
      playback: opts.playback ?? this.#defaults.playback,
      autoMarks: opts.autoMarks ?? this.#defaults.autoMarks,
      customParameters: opts.customParameters ?? twiml.parameters,
      mediaFormat: opts.mediaFormat ?? { encoding: 'audio/x-mulaw', sampleRate: 8000, channels: 1 },
    });
    this.calls.push(call);
    const headers: Record<string, string> = { 'User-Agent': 'Twilio.TmeWs/1.0' };
    if (opts.signUpgrade ?? this.authToken !== undefined) headers['X-Twilio-Signature'] = this.signature(twiml.streamUrl);
    Object.assign(headers, opts.headers ?? {});
    await call.open(headers);
    if (opts.autoStart ?? true) {
      call.sendConnected();
      call.sendStart();
    }
    return call;
  }

  /** Hang up every call still open. */
  async [Symbol.asyncDispose](): Promise<void> {
    await Promise.all(this.calls.map((c) => c[Symbol.asyncDispose]()));
  }
}

function mergeParams(defaults: Record<string, string>, overrides: WebhookParams): Record<string, string> {
  const out = { ...defaults };
  for (const [k, v] of Object.entries(overrides)) {
    if (v === undefined) delete out[k];
    else out[k] = v;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Twilio's player for the audio switchboard sends back

interface Segment {
  bytes: Uint8Array;
  startAt: number;
  /** Playback stopped here (clear); Infinity if not cut. */
  cutAt: number;
}

class Player {
  readonly #mode: PlaybackMode;
  readonly #autoMarks: boolean;
  readonly #echo: (name: string) => void;
  readonly #segments: Segment[] = [];
  #playEnd = 0;
  readonly #pending: Array<{ name: string; due: number }> = [];
  #timer: ReturnType<typeof setTimeout> | null = null;
  #stopped = false;
  /** Timers may fire a fraction of a ms early: once a mark is echoed as played, the clock is at least its time. */
  #floor = 0;

  #now(): number {
    return Math.max(performance.now(), this.#floor);
  }

  constructor(mode: PlaybackMode, autoMarks: boolean, echo: (name: string) => void) {
    this.#mode = mode;
    this.#autoMarks = autoMarks;
    this.#echo = echo;
  }

  media(bytes: Uint8Array): void {
    const now = this.#now();
    if (this.#mode === 'instant') {
      this.#segments.push({ bytes, startAt: -Infinity, cutAt: Infinity });
      return;
    }
    const startAt = Math.max(now, this.#playEnd);
    this.#playEnd = startAt + bytes.byteLength / 8;
    this.#segments.push({ bytes, startAt, cutAt: Infinity });
  }

  mark(name: string): void {
    if (!this.#autoMarks || this.#stopped) return;
    if (this.#mode === 'instant') {
      this.#echo(name);
      return;
    }
    this.#pending.push({ name, due: this.#playEnd });
    this.#schedule();
  }

  clear(): void {
    const now = this.#now();
    for (const s of this.#segments) if (s.cutAt === Infinity && s.startAt + s.bytes.byteLength / 8 > now) s.cutAt = now;
    this.#playEnd = now;
    this.#flush(Infinity);
  }

  /** Milliseconds of audio queued and not yet played. */
  get bufferedMs(): number {
    return Math.max(0, this.#playEnd - this.#now());
  }

  heard(): Uint8Array {
    const now = this.#now();
    return concatBytes(
      this.#segments.map((s) => {
        const playedMs = Math.min(now, s.cutAt) - s.startAt;
        return s.bytes.subarray(0, Math.max(0, Math.min(s.bytes.byteLength, Math.floor(playedMs * 8 + 1e-6))));
      }),
    );
  }

  stop(): void {
    this.#stopped = true;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    this.#pending.length = 0;
  }

  #schedule(): void {
    if (this.#timer || this.#pending.length === 0 || this.#stopped) return;
    const delay = Math.max(0, this.#pending[0]!.due - this.#now());
    this.#timer = setTimeout(() => {
      this.#timer = null;
      this.#flush(this.#now() + 1, true);
      this.#schedule();
    }, delay);
  }

  #flush(until: number, played = false): void {
    while (this.#pending.length > 0 && this.#pending[0]!.due <= until && !this.#stopped) {
      const mark = this.#pending.shift()!;
      if (played) this.#floor = Math.max(this.#floor, mark.due);
      this.#echo(mark.name);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// One call's media stream

interface Condition {
  check: () => unknown;
  resolve: (value: any) => void;
  reject: (error: Error) => void;
  timer: ReturnType<typeof setTimeout>;
  description: string;
}

interface CallSetup {
  twiml: ParsedTwiml;
  callSid: string;
  from: string;
  to: string;
  playback: PlaybackMode;
  autoMarks: boolean;
  customParameters: Record<string, string>;
  mediaFormat: { encoding: string; sampleRate: number; channels: number };
}

const OUTBOUND_EVENTS = new Set(['media', 'mark', 'clear']);

export class FakeCall {
  readonly callSid: string;
  readonly streamSid = newStreamSid();
  readonly accountSid: string;
  readonly twiml: ParsedTwiml;
  ws!: WebSocket;
  /** Decoded media payloads received, in order. */
  readonly media: Uint8Array[] = [];
  /** Names of the marks switchboard sent. */
  readonly marks: string[] = [];
  /** Names of the marks echoed back (played or cleared). */
  readonly markEchoes: string[] = [];
  /** Number of `clear` messages received. */
  clears = 0;
  /** Every JSON message received. */
  readonly messages: any[] = [];
  /** Every message this fake sent (Twilio -> switchboard), parsed. */
  readonly sent: any[] = [];
  /** Anything switchboard sent that real Twilio would reject or ignore. */
  readonly protocolViolations: string[] = [];
  readonly closed: Promise<{ code: number; reason: string }>;

  readonly #twilio: FakeTwilio;
  readonly #setup: CallSetup;
  readonly #player: Player;
  #resolveClosed!: (v: { code: number; reason: string }) => void;
  #isClosed = false;
  #started = false;
  #stopped = false;
  #sequence = 0;
  #chunk = 0;
  /** The inbound media clock, in bytes at 8 bytes/ms (so ms = bytes / 8). */
  #clockBytes = 0;
  #receivedBytes = 0;
  readonly #conditions = new Set<Condition>();

  /** @internal Use FakeTwilio.call(). */
  constructor(twilio: FakeTwilio, setup: CallSetup) {
    this.#twilio = twilio;
    this.#setup = setup;
    this.callSid = setup.callSid;
    this.accountSid = twilio.accountSid;
    this.twiml = setup.twiml;
    this.closed = new Promise((resolve) => {
      this.#resolveClosed = resolve;
    });
    this.#player = new Player(setup.playback, setup.autoMarks, (name) => this.sendMark(name));
  }

  get isOpen(): boolean {
    return !this.#isClosed && this.ws?.readyState === WebSocket.OPEN;
  }

  /** @internal */
  open(headers: Record<string, string>): Promise<void> {
    const streamUrl = this.twiml.streamUrl!;
    const publicStream = new URL(streamUrl);
    const publicOrigin = new URL(this.#twilio.publicUrl);
    if (publicStream.protocol !== 'wss:') this.#violation(`stream URL is not wss://: ${streamUrl}`);
    if (publicStream.host !== publicOrigin.host) this.#violation(`stream URL host ${publicStream.host} is not the public host ${publicOrigin.host}`);
    if (publicStream.search) this.#violation(`stream URL has a query string (use <Parameter>): ${streamUrl}`);
    const target = this.#twilio.toServerUrl(streamUrl, 'ws');
    const ws = new WebSocket(target, { headers });
    ws.binaryType = 'arraybuffer';
    this.ws = ws;
    return new Promise((resolve, reject) => {
      let opened = false;
      let failure = '';
      ws.addEventListener('open', () => {
        opened = true;
        resolve();
      });
      ws.addEventListener('error', (event) => {
        failure = (event as ErrorEvent).message ?? 'error';
      });
      ws.addEventListener('message', (event) => this.#onMessage(event.data));
      ws.addEventListener('close', (event) => {
        this.#onClose(event.code, event.reason);
        if (!opened) reject(new Error(`FakeTwilio: stream WebSocket ${target} did not open (${failure || `close ${event.code}`})`));
      });
    });
  }

  // ------------------------------------------------------------------ Twilio -> switchboard

  #send(message: Record<string, unknown>): void {
    if (!this.isOpen) throw new Error(`FakeCall: cannot send ${String(message['event'])}: the stream socket is closed`);
    this.sent.push(message);
    this.ws.send(JSON.stringify(message));
  }

  #nextSequence(): string {
    this.#sequence += 1;
    return String(this.#sequence);
  }

  /** `{event:'connected', protocol:'Call', version:'1.0.0'}` (automatic unless autoStart: false). */
  sendConnected(): void {
    this.#send({ event: 'connected', protocol: 'Call', version: '1.0.0' });
  }

  /** The `start` message (automatic unless autoStart: false). */
  sendStart(): void {
    this.#started = true;
    this.#send({
      event: 'start',
      sequenceNumber: this.#nextSequence(),
      start: {
        accountSid: this.accountSid,
        streamSid: this.streamSid,
        callSid: this.callSid,
        tracks: ['inbound'],
        customParameters: { ...this.#setup.customParameters },
        mediaFormat: { ...this.#setup.mediaFormat },
      },
      streamSid: this.streamSid,
    });
  }

  /** One media frame. `timestampMs` overrides the media clock (which then continues from there). */
  sendMedia(payload: Uint8Array, opts: { timestampMs?: number } = {}): void {
    if (opts.timestampMs !== undefined) this.#clockBytes = Math.round(opts.timestampMs * 8);
    const timestamp = Math.floor(this.#clockBytes / 8);
    this.#clockBytes += payload.byteLength;
    this.#chunk += 1;
    this.#send({
      event: 'media',
      sequenceNumber: this.#nextSequence(),
      media: { track: 'inbound', chunk: String(this.#chunk), timestamp: String(timestamp), payload: toBase64(payload) },
      streamSid: this.streamSid,
    });
  }

  /** Advance the media clock without sending: Twilio skipping silent frames (a real gap). */
  skipMs(ms: number): void {
    this.#clockBytes += Math.round(ms * 8);
  }

  /** The media clock: ms of inbound audio since the stream started. */
  get mediaTimestampMs(): number {
    return Math.floor(this.#clockBytes / 8);
  }

  /**
   * Caller audio, in 160-byte (20 ms) frames; `realtime` paces one frame per 20 ms like a phone.
   * Stops early (resolving with the frames sent) if the socket closes.
   */
  async sendAudio(bytes: Uint8Array, opts: { realtime?: boolean } = {}): Promise<number> {
    const started = performance.now();
    let frames = 0;
    for (let offset = 0; offset < bytes.byteLength; offset += 160) {
      if (opts.realtime && frames > 0) {
        const wait = started + frames * 20 - performance.now();
        if (wait > 0) await Bun.sleep(wait);
      }
      if (!this.isOpen) break;
      this.sendMedia(bytes.subarray(offset, Math.min(offset + 160, bytes.byteLength)));
      frames += 1;
    }
    return frames;
  }

  sendDtmf(digit: string): void {
    this.#send({
      event: 'dtmf',
      streamSid: this.streamSid,
      sequenceNumber: this.#nextSequence(),
      dtmf: { track: 'inbound_track', digit },
    });
  }

  /** A mark echo, by hand (for `autoMarks: false`). */
  sendMark(name: string): void {
    if (!this.isOpen) return;
    this.markEchoes.push(name);
    this.#send({ event: 'mark', sequenceNumber: this.#nextSequence(), streamSid: this.streamSid, mark: { name } });
    this.#checkConditions();
  }

  /** The `stop` message only (real Twilio then closes the socket: see hangup()). */
  sendStop(): void {
    this.#stopped = true;
    this.#send({
      event: 'stop',
      sequenceNumber: this.#nextSequence(),
      streamSid: this.streamSid,
      stop: { accountSid: this.accountSid, callSid: this.callSid },
    });
  }

  /** Any frame, unchecked. */
  sendRaw(data: string | Uint8Array): void {
    if (!this.isOpen) throw new Error('FakeCall: cannot sendRaw: the stream socket is closed');
    this.ws.send(data);
  }

  /** The caller hangs up: `stop`, then Twilio closes the socket. Resolves when it is closed. */
  async hangup(): Promise<{ code: number; reason: string }> {
    if (this.isOpen) {
      if (!this.#stopped) this.sendStop();
      this.ws.close(1000, 'Call ended');
    }
    return this.closed;
  }

  /**
   * What Twilio does after the stream ends: request the `<Connect action>` URL (signed), with the
   * call's params. Returns the answer (its `twiml` is what Twilio would run next).
   */
  requestAction(extra: Record<string, string> = {}): Promise<WebhookResult> {
    const action = this.twiml.connectAction;
    if (!action) throw new Error('FakeCall: the TwiML has no <Connect action>');
    return this.#twilio.request(action, {
      AccountSid: this.accountSid,
      CallSid: this.callSid,
      From: this.#setup.from,
      To: this.#setup.to,
      Called: this.#setup.to,
      Caller: this.#setup.from,
      CallStatus: 'in-progress',
      Direction: 'inbound',
      ApiVersion: '2010-04-01',
      ...extra,
    });
  }

  // ------------------------------------------------------------------ switchboard -> Twilio

  /** Every media payload received, concatenated (cleared audio included). */
  receivedAudio(): Uint8Array {
    return concatBytes(this.media);
  }

  /** What the caller actually heard so far: with `playback: 'realtime'`, audio dropped by `clear` and not yet played is left out. */
  heardAudio(): Uint8Array {
    return this.#player.heard();
  }

  /** Ms of received audio not yet played (always 0 with `playback: 'instant'`). */
  get bufferedMs(): number {
    return this.#player.bufferedMs;
  }

  /** Messages of one event type, in order. */
  messagesOf(event: string): any[] {
    return this.messages.filter((m) => m?.event === event);
  }

  /** The first received message matching `predicate` (already received or future). */
  waitFor(predicate: (message: any) => boolean, timeoutMs = 5000): Promise<any> {
    return this.#waitCondition(() => this.messages.find(predicate), 'a message matching the predicate', timeoutMs);
  }

  /**
   * Resolves with the first non-undefined, non-false value of `check`, evaluated now, after every
   * message received and after every mark echo (e.g. `() => call.markEchoes.length >= 3`).
   */
  waitUntil<T>(check: () => T | undefined | false, timeoutMs = 5000, description = 'the condition'): Promise<T> {
    return this.#waitCondition(() => {
      const value = check();
      return value === false ? undefined : value;
    }, description, timeoutMs);
  }

  /** Resolves when at least `n` bytes of media have been received. */
  waitForAudioBytes(n: number, timeoutMs = 5000): Promise<Uint8Array> {
    return this.#waitCondition(
      () => (this.#receivedBytes >= n ? this.receivedAudio() : undefined),
      `${n} bytes of audio (have ${this.#receivedBytes})`,
      timeoutMs,
    );
  }

  /** Resolves when the socket closes (with a timeout, unlike `closed`). */
  waitForClose(timeoutMs = 5000): Promise<{ code: number; reason: string }> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`FakeCall: the stream socket did not close within ${timeoutMs}ms`)), timeoutMs);
    });
    return Promise.race([this.closed, timeout]).finally(() => clearTimeout(timer));
  }

  #waitCondition<T>(check: () => T | undefined, description: string, timeoutMs: number): Promise<T> {
    const now = check();
    if (now !== undefined) return Promise.resolve(now);
    if (this.#isClosed) return Promise.reject(new Error(`FakeCall: stream closed without ${description}. ${this.#summary()}`));
    return new Promise((resolve, reject) => {
      const condition: Condition = {
        check,
        resolve,
        reject,
        description,
        timer: setTimeout(() => {
          this.#conditions.delete(condition);
          reject(new Error(`FakeCall: timed out after ${timeoutMs}ms waiting for ${condition.description}. ${this.#summary()}`));
        }, timeoutMs),
      };
      this.#conditions.add(condition);
    });
  }

  #summary(): string {
    const counts = new Map<string, number>();
    for (const m of this.messages) counts.set(String(m?.event), (counts.get(String(m?.event)) ?? 0) + 1);
    const seen = [...counts].map(([e, n]) => `${e} x${n}`).join(', ') || '(none)';
    const violations = this.protocolViolations.length ? ` Violations: ${this.protocolViolations.join('; ')}` : '';
    return `Received: ${seen}; ${this.#receivedBytes} audio bytes.${violations}`;
  }

  #violation(text: string): void {
    this.protocolViolations.push(text);
  }

  #onMessage(data: unknown): void {
    this.#handle(data);
    this.#checkConditions();
  }

  #checkConditions(): void {
    for (const condition of this.#conditions) {
      let value: unknown;
      try {
        value = condition.check();
      } catch (error) {
        this.#conditions.delete(condition);
        clearTimeout(condition.timer);
        condition.reject(error instanceof Error ? error : new Error(String(error)));
        continue;
      }
      if (value !== undefined) {
        this.#conditions.delete(condition);
        clearTimeout(condition.timer);
        condition.resolve(value);
      }
    }
  }

  #handle(data: unknown): void {
    if (typeof data !== 'string') {
      this.#violation('binary frame (Twilio expects JSON text frames)');
      return;
    }
    let message: any;
    try {
      message = JSON.parse(data);
    } catch {
      this.#violation(`non-JSON frame: ${data.slice(0, 80)}`);
      return;
    }
    if (typeof message !== 'object' || message === null || Array.isArray(message) || typeof message.event !== 'string') {
      this.#violation(`message without an event: ${data.slice(0, 80)}`);
      return;
    }
    this.messages.push(message);
    const event: string = message.event;
    if (!OUTBOUND_EVENTS.has(event)) {
      this.#violation(`unknown event "${event}"`);
      return;
    }
    if (!this.#started) this.#violation(`"${event}" sent before the stream started`);
    else if (message.streamSid !== this.streamSid) {
      this.#violation(`"${event}" with streamSid ${JSON.stringify(message.streamSid)}, expected ${this.streamSid}`);
    }
    switch (event) {
      case 'media': {
        const payload = message.media?.payload;
        if (!isStrictBase64(payload)) {
          this.#violation(`media with a payload that is not base64: ${JSON.stringify(payload)?.slice(0, 80)}`);
          return;
        }
        const bytes = fromBase64(payload);
        this.media.push(bytes);
        this.#receivedBytes += bytes.byteLength;
        this.#player.media(bytes);
        return;
      }
      case 'mark': {
        const name = message.mark?.name;
        if (typeof name !== 'string') {
          this.#violation(`mark without a string name: ${data.slice(0, 80)}`);
          return;
        }
        this.marks.push(name);
        this.#player.mark(name);
        return;
      }
      case 'clear': {
        this.clears += 1;
        this.#player.clear();
        return;
      }
    }
  }

  #onClose(code: number, reason: string): void {
    if (this.#isClosed) return;
    this.#isClosed = true;
    this.#player.stop();
    for (const condition of this.#conditions) {
      clearTimeout(condition.timer);
      condition.reject(new Error(`FakeCall: stream closed (${code}) without ${condition.description}. ${this.#summary()}`));
    }
    this.#conditions.clear();
    this.#resolveClosed({ code, reason });
  }

  /** Hang up if still open, and wait (bounded) for the close. */
  async [Symbol.asyncDispose](): Promise<void> {
    if (this.ws === undefined) return;
    if (this.isOpen) {
      try {
        await Promise.race([this.hangup(), Bun.sleep(2000)]);
        return;
      } catch {
        // fall through: already closing
      }
    }
    if (!this.#isClosed && this.ws.readyState !== WebSocket.CLOSED) {
      this.ws.close();
      await Promise.race([this.closed, Bun.sleep(2000)]);
    }
  }
}
