// One small logger: levels, bound fields (every call's lines carry its callSid), one line per event:
// readable text for a person at a terminal, one JSON object per line for a log collector.
// Never hand it audio payloads or secrets; nothing here can tell them apart from other strings.
// Two things it does to every line whatever it is handed, because logs are shipped and kept for
// months and read in terminals: a phone number anywhere in a string (the message or a field) keeps
// only its last four digits, and control characters are escaped (a transcript or a tool result
// could otherwise recolour, rewrite or forge lines on an operator's terminal).
import { replacePhoneNumbers, starDigits } from '../privacy/phone-number.ts';

export type Level = 'debug' | 'info' | 'warn' | 'error';
export type Format = 'text' | 'json';
export type Fields = Record<string, string | number | boolean | undefined | null>;
export type Sink = (line: string, level: Level) => void;

const RANK: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 };

/**
 * What a terminal or a log viewer acts on: C0 and C1 controls (ESC, CR, BEL, CSI `\x9b`), DEL,
 * the Unicode line and paragraph separators, and the bidirectional overrides and isolates.
 */
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
/** The same characters but those JSON.stringify escapes already (U+0000-U+001F). */
const CONTROL_JSON_KEEPS = /[\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
const SHORT_ESCAPES: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };
const unicodeEscape = (c: string) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;

/** `text` with every control character written as its escape (`\u001b`, `\r`): one visible line. */
export function escapeControls(text: string): string {
  return text.replace(CONTROL, (c) => SHORT_ESCAPES[c] ?? unicodeEscape(c));
}

/** Every phone number in `text`, wherever it is, down to its last four digits (see maskNumber). */
export function maskPhoneNumbers(text: string): string {
  // A bare +E.164 is masked as maskNumber masks the fields known to hold one; a formatted one keeps its shape.
  return replacePhoneNumbers(text, (number) => (/^(?:\+|%2[Bb])\d+$/.test(number) ? maskNumber(number)! : starDigits(number)));
}

/** A string as a log line may carry it; numbers and booleans are never touched. */
const scrub = <T extends string | number | boolean>(value: T): T => (typeof value === 'string' ? (maskPhoneNumbers(value) as T) : value);

function formatValue(value: string | number | boolean): string {
  const text = String(scrub(value));
  if (/^[^\s"=\\]+$/.test(text) && !text.match(CONTROL)) return text;
  return JSON.stringify(text).replace(CONTROL_JSON_KEEPS, unicodeEscape);
}

export function formatLine(level: Level, message: string, fields: Fields, now = new Date()): string {
  let line = `${now.toISOString()} ${level.toUpperCase().padEnd(5)} ${escapeControls(scrub(message))}`;
  for (const [key, value] of Object.entries(fields)) {
    if (value !== undefined && value !== null) line += ` ${escapeControls(key)}=${formatValue(value)}`;
  }
  return line;
}

/** `{"time":…,"level":…,"msg":…,…fields}`; a field cannot overwrite those three. */
export function formatJson(level: Level, message: string, fields: Fields, now = new Date()): string {
  const entry: Record<string, string | number | boolean> = { time: now.toISOString(), level, msg: scrub(message) };
  for (const [key, value] of Object.entries(fields)) {
    if (value !== undefined && value !== null && !(key in entry)) entry[key] = scrub(value);
  }
  // JSON.stringify escapes U+0000-U+001F; the rest would reach a terminal that tails the file raw.
  return JSON.stringify(entry).replace(CONTROL_JSON_KEEPS, unicodeEscape);
}

const stdSink: Sink = (line, level) => {
  (level === 'error' || level === 'warn' ? process.stderr : process.stdout).write(`${line}\n`);
};

export class Logger {
  constructor(
    private readonly minLevel: Level = 'info',
    private readonly fields: Fields = {},
    private readonly sink: Sink = stdSink,
    private readonly format: Format = 'text',
  ) {}

  child(fields: Fields): Logger {
    return new Logger(this.minLevel, { ...this.fields, ...fields }, this.sink, this.format);
  }

  enabled(level: Level): boolean {
    return RANK[level] >= RANK[this.minLevel];
  }

  log(level: Level, message: string, fields?: Fields): void {
    if (!this.enabled(level)) return;
    const all = fields ? { ...this.fields, ...fields } : this.fields;
    this.sink(this.format === 'json' ? formatJson(level, message, all) : formatLine(level, message, all), level);
  }

  debug(message: string, fields?: Fields) { this.log('debug', message, fields); }
  info(message: string, fields?: Fields) { this.log('info', message, fields); }
  warn(message: string, fields?: Fields) { this.log('warn', message, fields); }
  error(message: string, fields?: Fields) { this.log('error', message, fields); }
}

/** LOG_LEVEL, any case; unset or unknown is info (see parseLevel for the strict reading). */
export function levelFromEnv(value: string | undefined): Level {
  const level = value?.trim().toLowerCase();
  return level === 'debug' || level === 'warn' || level === 'error' ? level : 'info';
}

/** LOG_LEVEL as `serve` reads it: any case, and a value it does not know is a mistake worth a line. */
export function parseLevel(value: string | undefined): Level {
  const level = levelFromEnv(value);
  if (value && value.trim() !== '' && level !== value.trim().toLowerCase()) {
    throw new RangeError(`LOG_LEVEL must be debug, info, warn or error (got "${value}")`);
  }
  return level;
}

/**
 * LOG_FORMAT as `serve` reads it: `json` or `text` in any case; unset, JSON unless stdout is a
 * terminal (a pipe or journald wants one object per line, a person wants to read).
 */
export function parseFormat(value: string | undefined, stdoutIsTerminal: boolean): Format {
  const format = value?.trim().toLowerCase();
  if (!format) return stdoutIsTerminal ? 'text' : 'json';
  if (format === 'json' || format === 'text') return format;
  throw new RangeError(`LOG_FORMAT must be json or text (got "${value}")`);
}

/** A phone number for a log line: its last four digits only (the record keeps it whole). */
export function maskNumber(number: string | null | undefined): string | undefined {
  if (!number) return undefined;
  return number.length <= 4 ? '****' : `${'*'.repeat(number.length - 4)}${number.slice(-4)}`;
}

/**
 * URLs in error text lose their query: a gateway's key can ride there (`?api-key=…`), and Bun's
 * WebSocket errors quote the whole URL.
 */
export function redactUrlQueries(text: string): string {
  return text.replace(/\b((?:wss?|https?):\/\/[^\s'"?#]*)\?[^\s'"#]*/g, '$1?…');
}

/** Message of an unknown thrown value, for log lines. */
export function errorMessage(error: unknown): string {
  if (error instanceof Error) return redactUrlQueries(error.message);
  if (typeof error === 'object' && error !== null) {
    const inner = (error as { error?: unknown; message?: unknown }).error ?? (error as { message?: unknown }).message;
    if (inner !== undefined && inner !== error) return errorMessage(inner);
  }
  return redactUrlQueries(String(error));
}
