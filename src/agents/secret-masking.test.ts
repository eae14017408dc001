// A secret is masked in every form a service that echoes its request is likely to use, and
// ordinary text is left alone.
import { describe, expect, test } from 'bun:test';
import { base64Forms, headerSecrets, MASK, maskWith, secretPatterns } from './secret-masking.ts';
import { maskSecrets, secretsOf } from './http-tool.ts';
import { httpSchema } from '../config/schema/http-tool-schema.ts';
import { compileTool, maskToolText } from './tools.ts';

// "+" and "/" in its base64, characters that URL encoding changes, letters in both cases.
const SECRET = 'Ord3rs/T0ken?x=1&y=~>>ü';
const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');
const b64url = (text: string) => Buffer.from(text, 'utf8').toString('base64url');
const hex = (text: string) => Buffer.from(text, 'utf8').toString('hex');

/** Every way the tests echo SECRET, by name. */
const ECHOES: Record<string, string> = {
  verbatim: SECRET,
  base64: b64(SECRET),
  base64url: b64url(SECRET),
  urlEncoded: encodeURIComponent(SECRET),
  urlEncodedLowerHex: encodeURIComponent(SECRET).replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase()),
  formEncoded: new URLSearchParams({ k: SECRET }).toString().slice(2),
  lowercase: SECRET.toLowerCase(),
  uppercase: SECRET.toUpperCase(),
  hex: hex(SECRET),
  hexUpper: hex(SECRET).toUpperCase(),
  jsonEscaped: JSON.stringify(SECRET).slice(1, -1).replace(/\//g, '\\/').replace(/ü/g, '\\u00fc'),
  base64InUrl: encodeURIComponent(b64(SECRET)),
  // Inside a larger base64 blob, at each byte offset: the secret's own base64 is not a substring.
  inBlob0: b64(`{"a":"${SECRET}"}`),
  inBlob1: b64(`{"ab":"${SECRET}"}`),
  inBlob2: b64(`{"abc":"${SECRET}"}`),
  inBlobUrl: b64url(`Authorization: Bearer ${SECRET}\r\n`),
};

describe('maskSecrets', () => {
  test('every encoding of the secret is masked, in the middle of other text', () => {
    for (const [name, echo] of Object.entries(ECHOES)) {
      const masked = maskSecrets(`before ${echo} after`, [SECRET]);
      expect([name, masked.startsWith('before '), masked.endsWith(' after')]).toEqual([name, true, true]);
      expect([name, masked.includes(MASK)]).toEqual([name, true]);
      for (const form of Object.values(ECHOES)) expect([name, masked.includes(form)]).toEqual([name, false]);
      if (name.startsWith('inBlob')) {
        // Of the secret's base64 inside a blob, at most the two characters it shares with its neighbours are left.
        const left = masked.slice('before '.length, -' after'.length).split(MASK).join('');
        const secretChars = Math.floor((8 * Buffer.byteLength(SECRET)) / 6);
        expect([name, echo.length - left.length >= secretChars - 2]).toEqual([name, true]);
      }
    }
  });

  test('text without the secret is unchanged; short values are not masked', () => {
    const text = 'Order 12345 shipped to 10 Main St. {"status":"ok"} b3JkZXI=';
    expect(maskSecrets(text, [SECRET, 'ok', 'Main'])).toBe(text);
    expect(secretPatterns(['short'])).toEqual([]);
  });

  test('a longer secret that contains a shorter one is masked whole', () => {
    expect(maskSecrets('x user:long-password-1 y', ['long-password-1', 'user:long-password-1'])).toBe('x *** y');
  });

  test('base64Forms holds the exact encoding and a core for each byte offset', () => {
    const forms = base64Forms(SECRET);
    expect(forms).toContain(b64(SECRET));
    expect(forms).toContain(b64url(SECRET));
    for (const prefix of ['', 'a', 'ab', 'abc', 'abcd']) {
      expect([prefix, forms.some((form) => b64(prefix + SECRET + 'zz').includes(form))]).toEqual([prefix, true]);
    }
  });

  test('maskWith with no patterns is the identity', () => {
    expect(maskWith(SECRET, [])).toBe(SECRET);
  });
});

describe('secretsOf', () => {
  const http = (headers: Record<string, string>) => httpSchema.parse({ url: 'https://api.example.com/x', headers });

  test('Basic: the base64 value, the decoded user:password and the password are each secrets', () => {
    const basic = b64('ops-user:P4ssw0rd-long');
    expect(headerSecrets(`Basic ${basic}`)).toEqual([basic, 'ops-user:P4ssw0rd-long', 'P4ssw0rd-long']);
    const secrets = secretsOf(http({ Authorization: `Basic ${basic}` }), undefined);
    expect(secrets).toEqual(expect.arrayContaining([basic, 'ops-user:P4ssw0rd-long', 'P4ssw0rd-long']));
    for (const echo of ['P4ssw0rd-long', 'p4ssw0rd-long', b64('P4ssw0rd-long'), hex('ops-user:P4ssw0rd-long'), basic, encodeURIComponent(basic)]) {
      expect(maskSecrets(`{"got":"${echo}"}`, secrets)).toBe('{"got":"***"}');
    }
  });

  test('a "Basic" value that is not base64 of user:password is one opaque secret', () => {
    expect(headerSecrets('Basic not-base64-at-all!')).toEqual(['not-base64-at-all!']);
    expect(headerSecrets('Bearer abc.def.ghi-jkl')).toEqual(['abc.def.ghi-jkl']);
    expect(headerSecrets('plain-api-key-value')).toEqual(['plain-api-key-value']);
  });

  test('the signing secret is a secret; Content-Type, Accept and User-Agent are not', () => {
    const config = httpSchema.parse({ url: 'https://api.example.com/x', sign: true, headers: { Accept: 'application/json', 'X-Key': 'key-0123456789' } });
    expect(secretsOf(config, 'signing-secret-0123')).toEqual(['signing-secret-0123', 'key-0123456789']);
  });
});

describe('maskToolText', () => {
  test('masks what an http tool\'s secrets would show in its arguments or result; other tools\' text is left as it is', () => {
    const http = httpSchema.parse({ url: 'https://api.example.com/x', headers: { Authorization: `Bearer ${SECRET}` } });
    const base = { description: 'd', parameters: {}, background: false, needs_approval: false };
    const orders = compileTool('orders', { ...base, http });
    const plain = compileTool('plain', { ...base, result: 'ok' });
    expect(maskToolText(orders, `{"q":"${b64(SECRET)}"}`)).toBe('{"q":"***"}');
    expect(maskToolText(plain, `{"q":"${b64(SECRET)}"}`)).toBe(`{"q":"${b64(SECRET)}"}`);
  });
});
