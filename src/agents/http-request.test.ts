// What an http tool's request is made of: arguments stay inside the part of the URL or body they
// are written into, and the origin is the template's or nothing is sent.
import { describe, expect, test } from 'bun:test';
import { httpSchema, readOrigin, type HttpConfig } from '../config/schema/http-tool-schema.ts';
import { ArgumentError, buildRequest, OriginError, sameOrigin } from './http-request.ts';

const http = (config: object) => httpSchema.parse(config);
/** A config the schema would refuse, as code (or a bug) could still build one. */
const forced = (url: string): HttpConfig => ({ url, timeout_ms: 1000, max_response_bytes: 1000, sign: false });

describe('buildRequest', () => {
  test('path values are one segment whatever they hold; encoded dots are not dot segments', () => {
    const config = http({ url: 'https://api.example.com/v1/items/{{id}}/parts?x=1' });
    for (const id of ['a/b', '../../admin', '%2e%2e', '.%2E', 'a?b#c', ' ', 'é']) {
      const { url } = buildRequest(config, { id });
      expect(url.origin).toBe('https://api.example.com');
      expect(url.pathname.split('/')).toHaveLength(5);
      expect(decodeURIComponent(url.pathname.split('/')[3]!)).toBe(id);
      expect(url.search).toBe('?x=1');
    }
    expect(() => buildRequest(config, { id: '..' })).toThrow(new ArgumentError('id cannot be ".."'));
  });

  test('query: values are encoded; a lone placeholder the model left null is left out', () => {
    const config = http({ url: 'https://api.example.com/s?q={{q}}', query: { page: '{{page}}', tag: 'x-{{page}}', fixed: 2 } });
    expect(buildRequest(config, { q: 'a&b=c', page: null }).url.href).toBe('https://api.example.com/s?q=a%26b%3Dc&tag=x-&fixed=2');
    expect([...buildRequest(config, { q: '+1 555', page: 3 }).url.searchParams]).toEqual([
      ['q', '+1 555'],
      ['page', '3'],
      ['tag', 'x-3'],
      ['fixed', '2'],
    ]);
  });

  test('body: JSON with arguments as strings, or as themselves when alone; POST unless told', () => {
    const config = http({ url: 'https://api.example.com/n', body: { text: 'say {{t}}', n: '{{n}}', off: '{{missing}}', list: ['{{t}}', 1] } });
    const plan = buildRequest(config, { t: '"},{"x":1', n: 7 });
    expect(plan.method).toBe('POST');
    expect(JSON.parse(plan.body!)).toEqual({ text: 'say "},{"x":1', n: 7, off: null, list: ['"},{"x":1', 1] });
    expect(buildRequest(http({ url: 'https://api.example.com/n' }), {})).toEqual({ method: 'GET', url: new URL('https://api.example.com/n'), body: undefined });
  });
});

describe('the origin is the template\'s', () => {
  test('readOrigin: only scheme://host[:port] written out fixes an origin', () => {
    expect(readOrigin('https://api.example.com/v1/{{id}}')).toEqual({ origin: 'https://api.example.com' });
    expect(readOrigin('HTTP://API.example.com:8080?q={{q}}')).toEqual({ origin: 'http://api.example.com:8080' });
    expect(readOrigin('https://api.example.com:443')).toEqual({ origin: 'https://api.example.com' });
    expect(readOrigin('http://[::1]:9/{{x}}')).toEqual({ origin: 'http://[::1]:9' });
    for (const url of [
      'https:///{{x}}/a',
      'https:/{{x}}/a',
      'https:{{x}}/a',
      'http:/{{x}}:8080/a',
      'https://{{x}}/a',
      'https://api.{{x}}/a',
      'https://api.example.com:{{x}}/a',
      'https://api.example.com{{x}}/a',
      'https://{{x}}@api.example.com/a',
      'https://user:pass@api.example.com/a',
      'https://api.example.com\\{{x}}',
      'https://api.exa\tmple.com/a',
      'https://api.example.com:99999/a',
      'ftp://api.example.com/a',
      ' https://api.example.com/a',
      '{{x}}',
    ]) {
      expect([url, readOrigin(url).origin]).toEqual([url, undefined]);
    }
  });

  test('a URL that fixes no origin is refused before anything is rendered, whatever the arguments', () => {
    const shapes = ['https:///{{x}}/a', 'https:/{{x}}/a', 'https:{{x}}/a', 'http:/{{x}}:8080/a', 'https://{{x}}/a', 'https://api.example.com:{{x}}/a', 'https://{{x}}@api.example.com/a'];
    for (const url of shapes) {
      for (const x of ['127.0.0.1', 'evil.example', '8080', '']) {
        expect(() => buildRequest(forced(url), { x })).toThrow(new OriginError("the tool's URL does not name its host in the configuration, so nothing was sent"));
      }
    }
  });

  test('sameOrigin: a rendered URL elsewhere, or carrying user:password@, is not the template\'s', () => {
    expect(sameOrigin(new URL('https://api.example.com:443/a?x=1'), 'https://api.example.com')).toBe(true);
    expect(sameOrigin(new URL('https://api.example.com.evil.example/a'), 'https://api.example.com')).toBe(false);
    expect(sameOrigin(new URL('https://api.example.com:8443/a'), 'https://api.example.com')).toBe(false);
    expect(sameOrigin(new URL('http://api.example.com/a'), 'https://api.example.com')).toBe(false);
    expect(sameOrigin(new URL('https://u:p@api.example.com/a'), 'https://api.example.com')).toBe(false);
  });

  test('a templated path and query still render at the template\'s origin', () => {
    const plan = buildRequest(http({ url: 'http://127.0.0.1:8080/orders/{{id}}?q={{q}}', query: { kind: '{{q}}' } }), { id: '127.0.0.1:9/x', q: '@evil.example' });
    expect(plan.url.origin).toBe('http://127.0.0.1:8080');
    expect(plan.url.pathname).toBe(`/orders/${encodeURIComponent('127.0.0.1:9/x')}`);
    expect([...plan.url.searchParams]).toEqual([
      ['q', '@evil.example'],
      ['kind', '@evil.example'],
    ]);
  });
});
