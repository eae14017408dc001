// Phone numbers inside free text (a tool result, an error, a transcript): E.164 (`+15558675309`,
// `%2B15558675309` as a form encodes it), international ones with separators (`+1 555 867 5309`,
// `+44 (20) 7946-0958`, `+33 1 23 45 67 89`) and North American ones (`(555) 867-5309`, `555-867-5309`,
// `555.867.5309`, `555 867 5309`, with an optional leading `1`). The logger masks them in every
// line, the redactor removes them from what is kept (privacy.redact `phone`). The pattern stops
// at word characters on either side, so a CallSid's hex, an id, an ISO timestamp or a duration is
// never taken for a number; bare digit runs without `+` or separators are left alone for the same
// reason. Every quantifier is bounded and every group has a separator: no backtracking blow-up.

/** Fewer digits than this after a `+` is not a number (a score, an offset, `+1 2 3`). */
const MIN_DIGITS = 8;

const PLUS = String.raw`(?:\+|%2[Bb])`;
const E164 = String.raw`${PLUS}[1-9]\d{7,14}`;
const INTERNATIONAL = String.raw`${PLUS}\d{1,3}(?:[ .-]?\(\d{1,4}\)[ .-]?\d{1,10}|[ .-]\d{1,10})(?:[ .-]\d{1,10}){0,5}`;
/** Not inside a longer word or number: `CA5558675309…`, `x555-867-5309`, `12-555-867-5309`. */
const NOT_AFTER = String.raw`(?<![\w+]|\d[.-])`;
const NANP = String.raw`${NOT_AFTER}(?:1[ .-]?)?(?:\(\d{3}\)[ .-]?\d{3}[ .-]\d{4}|\d{3}([.-])\d{3}\1\d{4}|\d{3} \d{3} \d{4})`;
const NOT_BEFORE = String.raw`(?!\d|[.-]\d)`;

/** Global: use with String.replace (which resets lastIndex), never with test/exec across calls. */
export const PHONE_NUMBER = new RegExp(String.raw`(?:${E164}|${INTERNATIONAL}|${NANP})${NOT_BEFORE}`, 'g');

const digitCount = (text: string) => text.replace(/\D/g, '').length;

/** Every phone number in `text` replaced by what `replace` makes of it. */
export function replacePhoneNumbers(text: string, replace: (number: string) => string): string {
  // Most values logged hold no digit at all: skip the regex for them.
  if (!/\d/.test(text)) return text;
  return text.replace(PHONE_NUMBER, (match: string) => (digitCount(match) < MIN_DIGITS ? match : replace(match)));
}

/** A number's digits but its last four starred, its `+` and separators kept: `+1 *** ***-5309`. */
export function starDigits(number: string): string {
  let keep = 4;
  let out = '';
  for (let i = number.length - 1; i >= 0; i--) {
    const c = number[i]!;
    if (c >= '0' && c <= '9') out = (keep-- > 0 ? c : '*') + out;
    else out = c + out;
  }
  return out;
}
