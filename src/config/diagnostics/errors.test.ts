import { describe, expect, test } from 'bun:test';
import { ConfigErrors, type ConfigError } from './errors.ts';

const at = (line: number, col: number, path: string, message: string): ConfigError => ({
  file: 'agents.yaml',
  line,
  col,
  path,
  message,
});

describe('ConfigErrors', () => {
  test('formats one line per error, sorted by line then column', () => {
    const errors = new ConfigErrors([
      at(9, 3, 'agents.a.voice', 'expected a string, got a number'),
      at(2, 7, 'entry', 'unknown agent "x"'),
      at(2, 1, '', 'Map keys must be unique'),
    ]);
    expect(errors.format()).toBe(
      [
        'agents.yaml:2:1  Map keys must be unique',
        'agents.yaml:2:7  entry: unknown agent "x"',
        'agents.yaml:9:3  agents.a.voice: expected a string, got a number',
      ].join('\n'),
    );
    expect(errors.errors.map((e) => e.line)).toEqual([2, 2, 9]);
  });

  test('is an Error whose message is the formatted list', () => {
    const errors = new ConfigErrors([at(1, 1, '', 'the file is empty')]);
    expect(errors).toBeInstanceOf(Error);
    expect(errors.name).toBe('ConfigErrors');
    expect(errors.message).toBe('agents.yaml:1:1  the file is empty');
  });
});
