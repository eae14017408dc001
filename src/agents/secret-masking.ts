// Masks an http tool's secrets (its header values, the signing secret) in text bound for the
// model, the call record and the log. A service that echoes its request rarely echoes a header
// verbatim: it logs it base64-encoded, URL-encoded, lower-cased, hex-dumped, inside a JSON string,
// or base64-encodes a whole blob that contains it. So each secret is matched in all those forms,
// and base64 at every byte offset (the secret's bits inside any larger base64 text).

/** Shorter values ("1", "yes") are not secrets, and masking them would mangle ordinary text. */
export const MIN_SECRET_CHARS = 8;
export const MASK = '***';

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** One hex digit in either case, for a case-sensitive pattern. */
const hexDigit = (digit: string) => (/[a-f]/.test(digit) ? `[${digit}${digit.toUpperCase()}]` : digit);
const hexByte = (byte: number) => [...byte.toString(16).padStart(2, '0')].map(hexDigit).join('');

/**
 * A pattern for one character however a URL or a JSON/JS string may carry it: as itself,
 * percent-encoded (its UTF-8 bytes, hex in either case), \uXXXX-escaped, backslash-escaped
 * ("\/" in PHP's JSON), or "+" for a space (form encoding).
 */
function charPattern(char: string): string {
  const forms = [escapeRegExp(char)];
  forms.push([...Buffer.from(char, 'utf8')].map((byte) => `%${hexByte(byte)}`).join(''));
  const code = char.codePointAt(0) ?? 0;
  if (code <= 0xffff) forms.push(`\\\\u${[...code.toString(16).padStart(4, '0')].map(hexDigit).join('')}`);
  if ('/"\\'.includes(char)) forms.push(`\\\\${escapeRegExp(char)}`);
  if (char === ' ') forms.push('\\+');
  return `(?:${forms.join('|')})`;
}

/** `text`, each character in any of its URL/string encodings. */
const encodedPattern = (text: string) => [...text].map(charPattern).join('');

/**
 * The base64 text that carries `secret` whatever its byte offset in the encoded data: the whole
 * encoding (padded and not), and at offsets 0, 1 and 2 the characters that its bytes alone decide.
 */
export function base64Forms(secret: string): string[] {
  const bytes = Buffer.from(secret, 'utf8');
  const whole = bytes.toString('base64');
  const forms = [whole, whole.replace(/=+$/, '')];
  for (let offset = 0; offset < 3; offset++) {
    const encoded = Buffer.concat([Buffer.alloc(offset), bytes]).toString('base64');
    // Character i holds bits [6i, 6i+6); the secret holds bits [8·offset, 8·(offset+n)).
    const first = Math.ceil((8 * offset) / 6);
    const end = Math.floor((8 * (offset + bytes.length)) / 6);
    forms.push(encoded.slice(first, end));
  }
  const all = forms.flatMap((form) => [form, form.replace(/\+/g, '-').replace(/\//g, '_')]);
  return [...new Set(all)].filter((form) => form.length >= MIN_SECRET_CHARS);
}

/** The secret's hex dump (matched in either case). */
export const hexForm = (secret: string) => Buffer.from(secret, 'utf8').toString('hex');

const byLength = (a: string, b: string) => b.length - a.length;

/**
 * Two patterns over all of `secrets`: one that ignores case (the secret as text, in any case and
 * URL/string encoding; its hex dump), one that does not (its base64 forms, themselves possibly
 * URL-encoded). Longer forms first, so the longest match is masked whole.
 */
export function secretPatterns(secrets: readonly string[]): RegExp[] {
  const usable = [...new Set(secrets.filter((s) => s.length >= MIN_SECRET_CHARS))];
  if (usable.length === 0) return [];
  const anyCase = [...usable, ...usable.map(hexForm)].sort(byLength).map(encodedPattern);
  const exact = [...new Set(usable.flatMap(base64Forms))].sort(byLength).map(encodedPattern);
  return [new RegExp(anyCase.join('|'), 'giu'), new RegExp(exact.join('|'), 'gu')];
}

/** `text` with every form of every secret replaced by MASK. */
export function maskWith(text: string, patterns: readonly RegExp[]): string {
  let masked = text;
  for (const pattern of patterns) masked = masked.replace(pattern, MASK);
  return masked;
}

/**
 * The secrets in one header value: the value after its scheme word (Bearer, Basic, Token), and
 * for Basic the decoded "user:password" and the password, which a service may echo decoded.
 */
export function headerSecrets(value: string): string[] {
  const match = /^(Bearer|Basic|Token)\s+(.*)$/is.exec(value.trim());
  const token = (match?.[2] ?? value).trim();
  const found = [token];
  if (match?.[1]?.toLowerCase() === 'basic') {
    const decoded = Buffer.from(token, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    // Only a real base64 "user:password" (it encodes back to the same text) has a password to find.
    if (colon !== -1 && Buffer.from(decoded, 'utf8').toString('base64').replace(/=+$/, '') === token.replace(/=+$/, '')) {
      found.push(decoded, decoded.slice(colon + 1));
    }
  }
  return found;
}
