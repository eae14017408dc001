import { describe, expect, test } from 'bun:test';
import { httpSchema } from '../config/http-tool-schema.ts';
import { ArgumentError, buildRequest } from './http-request.ts';

const http = (config: object) => httpSchema.parse(config);

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
