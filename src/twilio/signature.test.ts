import { describe, expect, test } from 'bun:test';
import twilio from 'twilio';
import { twilioSignature, verifyStreamUpgrade, verifyWebhook } from './signature.ts';

const TOKEN = '12345678901234567890123456789012';
const ORIGIN = 'https://voice.example.com';

// The official helper library is an independent oracle for Twilio's scheme.
const oracle = (url: string, params: Record<string, string>) =>
  twilio.getExpectedTwilioSignature(TOKEN, url, params);

describe('twilioSignature', () => {
  test.each([
    [{}],
    [{ CallSid: 'CA123', From: '+15551234567', To: '+15557654321' }],
    [{ Body: 'héllo & <goodbye> = "ok"', zeta: '1', Alpha: '2', alpha: '3' }],
  ])('matches the twilio package for %j', (params) => {
    const url = `${ORIGIN}/incoming-call?x=1`;
    expect(twilioSignature(TOKEN, url, new URLSearchParams(params))).toBe(oracle(url, params));
  });
});

describe('verifyWebhook', () => {
  const form = new URLSearchParams({ CallSid: 'CA1', To: '+1555' });
  const signed = oracle(`${ORIGIN}/incoming-call`, Object.fromEntries(form));
  // The request reached us on loopback; only the path and query come from it.
  const url = new URL('http://127.0.0.1:5050/incoming-call');

  test('accepts the real scheme', () => {
    expect(verifyWebhook(TOKEN, ORIGIN, { url, signature: signed, form })).toBe(true);
  });
  test('rejects missing, wrong and tampered', () => {
    expect(verifyWebhook(TOKEN, ORIGIN, { url, signature: null, form })).toBe(false);
    expect(verifyWebhook(TOKEN, ORIGIN, { url, signature: 'AAAA', form })).toBe(false);
    const tampered = new URLSearchParams({ CallSid: 'CA1', To: '+1666' });
    expect(verifyWebhook(TOKEN, ORIGIN, { url, signature: signed, form: tampered })).toBe(false);
    const otherQuery = new URL('http://127.0.0.1:5050/incoming-call?agent=x');
    expect(verifyWebhook(TOKEN, ORIGIN, { url: otherQuery, signature: signed, form })).toBe(false);
  });
  test('a signature made for another host is refused', () => {
    const hostile = oracle('https://attacker.example/incoming-call', Object.fromEntries(form));
    expect(verifyWebhook(TOKEN, ORIGIN, { url, signature: hostile, form })).toBe(false);
  });
  test('GET signs the URL only', () => {
    const get = new URL('http://127.0.0.1/incoming-call?CallSid=CA1');
    const sig = oracle(`${ORIGIN}/incoming-call?CallSid=CA1`, {});
    expect(verifyWebhook(TOKEN, ORIGIN, { url: get, signature: sig })).toBe(true);
  });
  test('JSON bodies are bound by bodySHA256', () => {
    const rawBody = '{"a":1}';
    const hash = new Bun.CryptoHasher('sha256').update(rawBody).digest('hex');
    const jsonUrl = new URL(`http://127.0.0.1/hook?bodySHA256=${hash}`);
    const sig = oracle(`${ORIGIN}/hook?bodySHA256=${hash}`, {});
    expect(verifyWebhook(TOKEN, ORIGIN, { url: jsonUrl, signature: sig, rawBody })).toBe(true);
    expect(verifyWebhook(TOKEN, ORIGIN, { url: jsonUrl, signature: sig, rawBody: '{"a":2}' })).toBe(false);
  });
});

describe('verifyStreamUpgrade', () => {
  const url = new URL('http://127.0.0.1:5050/media-stream');
  test('accepts wss://PUBLIC/path with no params, and the trailing-slash variant', () => {
    expect(verifyStreamUpgrade(TOKEN, ORIGIN, { url, signature: oracle('wss://voice.example.com/media-stream', {}) })).toBe(true);
    expect(verifyStreamUpgrade(TOKEN, ORIGIN, { url, signature: oracle('wss://voice.example.com/media-stream/', {}) })).toBe(true);
  });
  test('rejects https-scheme signatures, other hosts and query strings', () => {
    expect(verifyStreamUpgrade(TOKEN, ORIGIN, { url, signature: oracle(`${ORIGIN}/media-stream`, {}) })).toBe(false);
    expect(verifyStreamUpgrade(TOKEN, ORIGIN, { url, signature: oracle('wss://evil.example/media-stream', {}) })).toBe(false);
    const withQuery = new URL('http://127.0.0.1:5050/media-stream?x=1');
    expect(verifyStreamUpgrade(TOKEN, ORIGIN, { url: withQuery, signature: oracle('wss://voice.example.com/media-stream?x=1', {}) })).toBe(false);
  });
});
