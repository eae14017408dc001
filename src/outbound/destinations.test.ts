import { describe, expect, test } from 'bun:test';
import { countryCodeOf } from './country-codes.ts';
import { allowedPrefixes, checkDestination, RISKY_RANGES, riskyRangeOf } from './destinations.ts';

describe('country calling codes', () => {
  test('one to three digits, whichever is assigned', () => {
    expect(countryCodeOf('+15551234567')).toBe('+1');
    expect(countryCodeOf('+18761234567')).toBe('+1');
    expect(countryCodeOf('+79161234567')).toBe('+7');
    expect(countryCodeOf('+447700900123')).toBe('+44');
    expect(countryCodeOf('+4930123456')).toBe('+49');
    expect(countryCodeOf('+35312345678')).toBe('+353');
    expect(countryCodeOf('+22212345678')).toBe('+222');
    expect(countryCodeOf('+8821234567')).toBe('+882');
    expect(countryCodeOf('+861012345678')).toBe('+86');
  });

  test('spare codes are none', () => {
    expect(countryCodeOf('+2101234567')).toBeUndefined();
    expect(countryCodeOf('+8011234567')).toBeUndefined();
    expect(countryCodeOf('+9991234567')).toBeUndefined();
  });

  test('every risky range lies in an assigned code', () => {
    for (const { prefix } of RISKY_RANGES) expect({ prefix, code: countryCodeOf(prefix) === undefined }).toEqual({ prefix, code: false });
  });
});

describe('the destination policy', () => {
  const US = '+15550001111';

  test('without allowed_destinations: only the country code of the number calls come from', () => {
    expect(allowedPrefixes({ from: US })).toEqual(['+1']);
    expect(allowedPrefixes({ from: '+447700900123' })).toEqual(['+44']);
    expect(checkDestination('+15557654321', { from: US })).toBeUndefined();
    expect(checkDestination('+447700900123', { from: US })).toEqual({
      kind: 'not_allowed',
      message:
        'refused: +44 is not allowed: without outbound.allowed_destinations, calls go only to +1, the country code of the number they come from; add the prefix to outbound.allowed_destinations to call there',
    });
    expect(checkDestination('+15557654321', { from: '+447700900123' })?.kind).toBe('not_allowed');
  });

  test('with allowed_destinations: those prefixes and no others', () => {
    const policy = { allowed: ['+1', '+4420'], from: US };
    expect(checkDestination('+15557654321', policy)).toBeUndefined();
    expect(checkDestination('+442071234567', policy)).toBeUndefined();
    expect(checkDestination('+447700900123', policy)).toEqual({
      kind: 'not_allowed',
      message: 'refused: +44 is not allowed: outbound.allowed_destinations lists +1, +4420; add the prefix to outbound.allowed_destinations to call there',
    });
    expect(checkDestination('+15557654321', { allowed: [], from: US })?.message).toBe(
      'refused: +1 is not allowed: outbound.allowed_destinations lists none; add the prefix to outbound.allowed_destinations to call there',
    );
    expect(checkDestination('+9991234567', policy)?.message).toStartWith('refused: +999… is no assigned country code: ');
  });

  test('premium and high-fraud ranges are refused inside a broader allowed prefix', () => {
    const cases: [string, string][] = [
      ['+19005551234', '+1900'],
      ['+19765551234', '+1976'],
      ['+18765551234', '+1876'],
      ['+18095551234', '+1809'],
    ];
    for (const [to, range] of cases) {
      const refusal = checkDestination(to, { from: US });
      expect(refusal?.kind).toBe('high_risk');
      expect(refusal?.message).toStartWith(`refused: ${range} is `);
      expect(refusal?.message).toEndWith(`; to call it, list "${range}" in outbound.allowed_destinations (allowing +1 does not include it)`);
    }
    expect(checkDestination('+8821234567', { allowed: ['+8'], from: US })?.message).toBe(
      'refused: +882 is international networks (non-geographic numbers), billed at premium rates; to call it, list "+882" in outbound.allowed_destinations (allowing +8 does not include it)',
    );
    expect(checkDestination('+22212345678', { allowed: ['+2'], from: US })?.kind).toBe('high_risk');
    // Outside every allowed prefix, it is simply not allowed.
    expect(checkDestination('+8821234567', { from: US })?.kind).toBe('not_allowed');
  });

  test('listed at least as specifically as the range, it is allowed; a longer listing allows only itself', () => {
    expect(checkDestination('+19005551234', { allowed: ['+1', '+1900'], from: US })).toBeUndefined();
    expect(checkDestination('+19005551234', { allowed: ['+1900555'], from: US })).toBeUndefined();
    expect(checkDestination('+19006661234', { allowed: ['+1', '+1900555'], from: US })?.kind).toBe('high_risk');
    expect(checkDestination('+8821234567', { allowed: ['+882'], from: US })).toBeUndefined();
    expect(checkDestination('+18765551234', { allowed: ['+1', '+1876'], from: US })).toBeUndefined();
  });

  test("a risky country code that is the from number's own is allowed by default: domestic calls are not revenue-share fraud", () => {
    expect(checkDestination('+22212345678', { from: '+22298765432' })).toBeUndefined();
    // The +1 ranges are more specific than +1 itself: a North American number still cannot call them.
    expect(checkDestination('+19005551234', { from: US })?.kind).toBe('high_risk');
  });

  test('riskyRangeOf: the most specific range', () => {
    expect(riskyRangeOf('+19005551234')?.prefix).toBe('+1900');
    expect(riskyRangeOf('+15551234567')).toBeUndefined();
    expect(riskyRangeOf('+5312345678')?.prefix).toBe('+53');
  });
});
