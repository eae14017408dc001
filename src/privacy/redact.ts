// privacy.redact compiled once per config into one pure function: text in, the same text with what
// must not be kept replaced by `[NAME]` (so a reader sees that something was removed). It runs
// where words leave the live call: the store's recorder, the console's live view, the post-call
// webhook, and log lines that carry the conversation. The model has already heard the caller.
//
// It runs on the server's thread, beside every call's audio, on text a caller or a tool controls:
// the built-ins are linear, and a text is checked (and kept) up to MAX_REDACTED_CHARS, so a
// custom regex with nested quantifiers cannot be fed an unbounded input. A custom regex can still
// be slow on its own (`(a+)+$`); docs/security.md says to keep them simple.
import { REDACT_REGEX_FLAGS, type BuiltinRedaction, type RedactEntry } from '../config/schema/privacy-schema.ts';
import { replacePhoneNumbers } from './phone-number.ts';

export type Redactor = (text: string) => string;

/** Longer text is cut here before it is checked: what was not checked is not kept. */
export const MAX_REDACTED_CHARS = 16 * 1024;

const CUT = `[cut: over ${MAX_REDACTED_CHARS} characters]`;

/** Card numbers are 13 to 19 digits (ISO/IEC 7812). */
const CARD_MIN_DIGITS = 13;
const CARD_MAX_DIGITS = 19;

/**
 * Runs of digits with at most one separator between two of them: a space or a dash (typed, or as
 * a transcript of speech writes groups), or a comma and a space (a transcript's pauses).
 */
const DIGIT_RUN = /(?<!\d)\d(?:(?:[ -]|, )?\d)*/g;
const SSN = /(?<![\d-])\d{3}([ -])\d{2}\1\d{4}(?![\d-])/g;
// Starts only where a local part starts, so a long run without `@` is scanned once.
const EMAIL = /(?<![\w.%+-])[\w.%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+/g;

/** The Luhn check digit test of digits[from..to] (inclusive): every card number passes, 9 in 10 random runs fail. */
function luhnRange(digits: readonly number[], from: number, to: number): boolean {
  let sum = 0;
  for (let i = to, odd = false; i >= from; i--, odd = !odd) {
    let d = digits[i]!;
    if (odd) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

export function luhnValid(digits: string): boolean {
  return luhnRange([...digits].map(Number), 0, digits.length - 1);
}

/**
 * Card numbers in one digit run: a Luhn-valid stretch of 13-19 digits that starts and ends where
 * the run's groups do (`4111 1111 1111 1111 0426`: the card, then the expiry left alone). A run
 * with no separators counts whole, so a longer id is never cut into a "card".
 */
function redactCardsInRun(run: string, mark: string): string {
  const digits: number[] = [];
  const at: number[] = [];
  for (let i = 0; i < run.length; i++) {
    const d = run.charCodeAt(i) - 48;
    if (d >= 0 && d <= 9) {
      digits.push(d);
      at.push(i);
    }
  }
  const n = digits.length;
  if (n < CARD_MIN_DIGITS) return run;
  const startsGroup = (k: number) => k === 0 || at[k]! !== at[k - 1]! + 1;
  const endsGroup = (k: number) => k === n - 1 || at[k + 1]! !== at[k]! + 1;
  let out = '';
  let copied = 0;
  for (let s = 0; s <= n - CARD_MIN_DIGITS; s++) {
    if (!startsGroup(s)) continue;
    for (let length = Math.min(CARD_MAX_DIGITS, n - s); length >= CARD_MIN_DIGITS; length--) {
      const e = s + length - 1;
      if (!endsGroup(e) || !luhnRange(digits, s, e)) continue;
      out += run.slice(copied, at[s]) + mark;
      copied = at[e]! + 1;
      s = e;
      break;
    }
  }
  return copied === 0 ? run : out + run.slice(copied);
}

function builtin(name: BuiltinRedaction): Redactor {
  const mark = `[${name}]`;
  switch (name) {
    case 'card_number':
      return (text) => text.replace(DIGIT_RUN, (run) => redactCardsInRun(run, mark));
    case 'ssn':
      return (text) => text.replace(SSN, mark);
    case 'email':
      return (text) => (text.includes('@') ? text.replace(EMAIL, mark) : text);
    case 'phone':
      return (text) => replacePhoneNumbers(text, () => mark);
  }
}

function custom(name: string, regex: string): Redactor {
  const mark = `[${name}]`;
  const pattern = new RegExp(regex, REDACT_REGEX_FLAGS);
  // An empty match (a lookahead, `x?`) removes nothing: it must not leave a mark either.
  return (text) => text.replace(pattern, (match: string) => (match === '' ? '' : mark));
}

/** The config's redactions, in its order; with none, text is kept as it is (and whole). */
export function compileRedactor(entries: readonly RedactEntry[]): Redactor {
  const steps = entries.map((entry) => (typeof entry === 'string' ? builtin(entry) : custom(entry.name, entry.regex)));
  if (steps.length === 0) return (text) => text;
  return (text) => {
    const long = text.length > MAX_REDACTED_CHARS;
    // Cut mid-number, the number's first digits would be kept unchecked: they go with the rest.
    let out = long ? text.slice(0, MAX_REDACTED_CHARS).replace(/[\d ,.()+-]+$/, '') : text;
    for (const step of steps) out = step(out);
    return long ? `${out}${CUT}` : out;
  };
}
