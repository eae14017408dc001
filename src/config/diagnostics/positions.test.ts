import { describe, expect, test } from 'bun:test';
import { LineCounter, parseDocument } from 'yaml';
import { find, formatPath, lineCol } from './positions.ts';

const SOURCE = ['# comment', 'agents:', '  greeter:', '    voice:', '    tools: [a, b]', ''].join('\n');

function where(path: (string | number)[], at: 'key' | 'value' = 'value') {
  const lineCounter = new LineCounter();
  const doc = parseDocument(SOURCE, { lineCounter });
  return lineCol(lineCounter, find(doc, path, at).offset);
}

describe('formatPath', () => {
  test('dots for keys, brackets for indexes', () => {
    expect(formatPath(['agents', 'greeter', 'tools', 1])).toBe('agents.greeter.tools[1]');
    expect(formatPath([])).toBe('');
  });
});

describe('find', () => {
  test('points at the value', () => {
    expect(where(['agents', 'greeter', 'tools', 1])).toEqual({ line: 5, col: 16 });
    expect(where(['agents', 'greeter', 'tools'])).toEqual({ line: 5, col: 12 });
  });

  test('points at the key when asked, or when the value is empty', () => {
    expect(where(['agents', 'greeter'], 'key')).toEqual({ line: 3, col: 3 });
    expect(where(['agents', 'greeter', 'voice'])).toEqual({ line: 4, col: 5 });
  });

  test('a missing node points at the key of its nearest existing ancestor', () => {
    expect(where(['agents', 'greeter', 'instructions'])).toEqual({ line: 3, col: 3 });
    expect(where(['agents', 'greeter', 'tools', 7])).toEqual({ line: 5, col: 5 });
    expect(where(['tools'])).toEqual({ line: 2, col: 1 });
  });
});
