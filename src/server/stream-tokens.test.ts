import { describe, expect, test } from 'bun:test';
import { StreamTokens } from './stream-tokens.ts';

describe('StreamTokens', () => {
  const clock = () => {
    let t = 1_000_000;
    return { now: () => t, advance: (ms: number) => void (t += ms) };
  };

  test('a token is good once, for its own CallSid, until it expires', () => {
    const c = clock();
    const tokens = new StreamTokens({ ttlMs: 1000, now: c.now });
    const token = tokens.mint('CA1');
    expect(tokens.pending).toBe(1);
    expect(tokens.redeem('CA2', token)).toBe('invalid');
    expect(tokens.redeem('CA1', token)).toBe('ok');
    expect(tokens.pending).toBe(0);
    expect(tokens.redeem('CA1', token)).toBe('reused');

    const late = tokens.mint('CA3');
    c.advance(1001);
    expect(tokens.redeem('CA3', late)).toBe('expired');
    expect(tokens.pending).toBe(0);
  });

  test('missing, malformed and forged tokens are refused', () => {
    const tokens = new StreamTokens();
    const other = new StreamTokens();
    expect(tokens.redeem('CA1', undefined)).toBe('missing');
    expect(tokens.redeem('CA1', '')).toBe('missing');
    expect(tokens.redeem('CA1', 'garbage')).toBe('invalid');
    expect(tokens.redeem('CA1', `${Date.now() + 1e6}.AAAA`)).toBe('invalid');
    expect(tokens.redeem('CA1', other.mint('CA1'))).toBe('invalid');
  });

  test('a forged expiry invalidates the MAC', () => {
    const tokens = new StreamTokens();
    const [, mac] = tokens.mint('CA1').split('.');
    expect(tokens.redeem('CA1', `${Date.now() + 10_000_000}.${mac}`)).toBe('invalid');
  });
});
