// twilioSignature, proven against the official `twilio` package.
import { describe, expect, test } from 'bun:test';
import { getExpectedTwilioSignature, validateRequest } from 'twilio/lib/webhooks/webhooks';
import { FakeTwilio } from './fake-twilio.ts';
import { twilioSignature } from './signature.ts';
import { PUBLIC, STREAM_URL, TOKEN } from './switchboard-stub.ts';

describe('twilioSignature matches the twilio package', () => {
  const cases: Array<[string, string, Record<string, string | string[]>]> = [
    ['no params', `${PUBLIC}/incoming-call`, {}],
    ['upgrade URL', STREAM_URL, {}],
    [
      'a realistic webhook',
      `${PUBLIC}/incoming-call`,
      {
        CallSid: 'CA1234567890abcdef1234567890abcdef',
        AccountSid: 'AC1234567890abcdef1234567890abcdef',
        From: '+14155550100',
        To: '+14155550199',
        CallStatus: 'ringing',
        Direction: 'inbound',
        ApiVersion: '2010-04-01',
      },
    ],
    [
      'special characters',
      `${PUBLIC}/incoming-call?agent=front%20desk&x=1`,
      {
        Caller: 'Zoë & "Bob" <b@x>',
        Body: 'line1\nline2 = 100% + ünïcödé 🎉',
        Empty: '',
        a: 'lowercase sorts after uppercase',
        Z: 'z',
        'Key With Space': 'v a l',
      },
    ],
    ['repeated values', `${PUBLIC}/hook`, { Tag: ['b', 'a', 'b'], Other: 'x' }],
  ];
  for (const [name, url, params] of cases) {
    test(name, () => {
      const ours = twilioSignature(TOKEN, url, params);
      expect(ours).toBe(getExpectedTwilioSignature(TOKEN, url, params));
      expect(validateRequest(TOKEN, ours, url, params)).toBe(true);
      const fake = new FakeTwilio({ serverUrl: 'http://127.0.0.1:1', publicUrl: PUBLIC, authToken: TOKEN });
      expect(fake.signature(url, params)).toBe(ours);
    });
  }

  test('a different token or URL changes it', () => {
    const base = twilioSignature(TOKEN, STREAM_URL);
    expect(twilioSignature(TOKEN.replace('1', '2'), STREAM_URL)).not.toBe(base);
    expect(twilioSignature(TOKEN, STREAM_URL + '/')).not.toBe(base);
  });

  test('signing without a token throws', () => {
    const fake = new FakeTwilio({ serverUrl: 'http://127.0.0.1:1', publicUrl: PUBLIC });
    expect(() => fake.signature(STREAM_URL)).toThrow(/no authToken/);
  });
});
