import { describe, expect, test } from 'bun:test';
import { parseDocument } from 'yaml';
import { interpolate, interpolateDocument } from './interpolate.ts';

describe('interpolate', () => {
  test('substitutes set variables and reports their values as secrets', () => {
    expect(interpolate('Bearer ${TOKEN}!', { TOKEN: 'sk-1' })).toEqual({
      value: 'Bearer sk-1!',
      missing: [],
      malformed: [],
      secrets: ['sk-1'],
    });
  });

  test('${NAME:-default} uses the default when unset or empty, like sh', () => {
    expect(interpolate('${A:-x}|${B:-y}|${C:-z}', { B: '', C: 'c' }).value).toBe('x|y|c');
    expect(interpolate('${A:-}', {}).value).toBe('');
    expect(interpolate('${A:-a:-b c}', {}).value).toBe('a:-b c');
  });

  test('an empty variable counts as set for ${NAME}', () => {
    expect(interpolate('[${E}]', { E: '' })).toEqual({ value: '[]', missing: [], malformed: [], secrets: [] });
  });

  test('$${ is a literal ${ and is not interpolated', () => {
    expect(interpolate('cost: $${PRICE} and ${X}', { X: '1', PRICE: 'no' }).value).toBe('cost: ${PRICE} and 1');
    expect(interpolate('$ and $X and {}', {}).value).toBe('$ and $X and {}');
  });

  test('unset variables without default are missing', () => {
    expect(interpolate('${A}${B}${C}', { B: 'b' }).missing).toEqual(['A', 'C']);
  });

  test('malformed references are reported as written', () => {
    expect(interpolate('${1X} ${A-b} ${open', {}).malformed).toEqual(['${1X}', '${A-b}', '${open']);
  });
});

describe('interpolateDocument', () => {
  test('rewrites string values only, never keys, and reports paths of unset variables', () => {
    const doc = parseDocument('${KEY}: ${A}\nlist:\n  - ${B}\n  - 3\nn: 5\n');
    const { problems, rewritten } = interpolateDocument(doc, { A: 'a', KEY: 'nope' });
    expect(doc.toJS()).toEqual({ '${KEY}': 'a', list: ['', 3], n: 5 });
    expect(problems).toEqual([
      {
        path: ['list', 0],
        message: 'environment variable B is not set; export it, put it in .env, or write ${B:-default}',
      },
    ]);
    expect([...rewritten.values()]).toEqual([
      { source: '${A}', secrets: ['a'] },
      { source: '${B}', secrets: [] },
    ]);
  });
});
