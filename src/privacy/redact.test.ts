import { describe, expect, test } from 'bun:test';
import { compileRedactor, luhnValid, MAX_REDACTED_CHARS } from './redact.ts';

const cards = compileRedactor(['card_number']);

describe('card_number', () => {
  test('a Luhn-valid 13-19 digit run, typed or as a transcript of speech writes it', () => {
    expect(cards('my card is 4111 1111 1111 1111, thanks')).toBe('my card is [card_number], thanks');
    expect(cards('4111-1111-1111-1111')).toBe('[card_number]');
    expect(cards('4111111111111111')).toBe('[card_number]');
    expect(cards('it is 4111, 1111, 1111, 1111.')).toBe('it is [card_number].');
    expect(cards('4 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1')).toBe('[card_number]');
    expect(cards('Amex 3782 822463 10005 please')).toBe('Amex [card_number] please');
    expect(cards('two: 5500 0000 0000 0004 and 4111111111111111')).toBe('two: [card_number] and [card_number]');
  });

  test('digits around the card stay: an expiry said after it, a count said before it', () => {
    expect(cards('4111 1111 1111 1111 0426')).toBe('[card_number] 0426');
    expect(cards('card 12 4111 1111 1111 1111')).toBe('card 12 [card_number]');
  });

  test('what fails Luhn, is too short or too long, or is one longer id, is left alone', () => {
    expect(luhnValid('1234567890123456')).toBe(false);
    expect(cards('order 1234 5678 9012 3456')).toBe('order 1234 5678 9012 3456');
    expect(cards('ref 411111111111')).toBe('ref 411111111111');
    expect(cards('id 41111111111111110000')).toBe('id 41111111111111110000');
    expect(cards('CA0123456789abcdef0123456789abcdef at 2026-03-01T10:00:00.000Z, 1500 ms')).toBe('CA0123456789abcdef0123456789abcdef at 2026-03-01T10:00:00.000Z, 1500 ms');
  });
});

test('ssn, email and phone by name; each span reads as the name in brackets', () => {
  const redact = compileRedactor(['ssn', 'email', 'phone']);
  expect(redact('SSN 123-45-6789, mail jo.doe+x@mail.example.org, cell +1 (555) 867-5309 or +15558675309')).toBe(
    'SSN [ssn], mail [email], cell [phone] or [phone]',
  );
  expect(redact('call 555-867-5309 on 2026-03-01 about order 123-456')).toBe('call [phone] on 2026-03-01 about order 123-456');
  // Not on the list, not removed.
  expect(redact('4111 1111 1111 1111')).toBe('4111 1111 1111 1111');
});

test('custom entries: case-insensitive, every match, in the order listed', () => {
  const redact = compileRedactor(['card_number', { name: 'policy', regex: 'POL-\\d{6}' }, { name: 'maybe', regex: '(?=x)|secret' }]);
  expect(redact('policy pol-123456 and POL-654321; card 4111111111111111')).toBe('policy [policy] and [policy]; card [card_number]');
  // An empty match removes nothing and marks nothing.
  expect(redact('x marks the secret')).toBe('x marks the [maybe]');
});

test('no entries: text kept as it is, whole', () => {
  const keep = compileRedactor([]);
  const long = 'a'.repeat(MAX_REDACTED_CHARS + 10);
  expect(keep('4111 1111 1111 1111')).toBe('4111 1111 1111 1111');
  expect(keep(long)).toBe(long);
});

test('text over MAX_REDACTED_CHARS is cut before it is checked, never mid-number', () => {
  const padding = 'a'.repeat(MAX_REDACTED_CHARS - 10);
  const out = cards(`${padding} 4111 1111 1111 1111 and more`);
  expect(out).toBe(`${padding}[cut: over ${MAX_REDACTED_CHARS} characters]`);
  expect(out).not.toContain('4111');
});
