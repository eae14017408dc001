import { expect, test } from 'bun:test';
import { audioPath, SettingsError } from '../server/settings.ts';
import { base64ByteLength } from './lean-transport.ts';

test('base64ByteLength is the decoded length, padding included', () => {
  for (const length of [0, 1, 2, 3, 4, 159, 160, 161, 4096]) {
    const encoded = Buffer.alloc(length, 7).toString('base64');
    expect(base64ByteLength(encoded)).toBe(length);
  }
});

test('AUDIO_PATH is lean by default, sdk on request, and anything else is one clear error', () => {
  expect(audioPath(undefined)).toBe('lean');
  expect(audioPath('')).toBe('lean');
  expect(audioPath('lean')).toBe('lean');
  expect(audioPath('sdk')).toBe('sdk');
  expect(() => audioPath('SDK ')).toThrow(SettingsError);
  expect(() => audioPath('fast')).toThrow('AUDIO_PATH must be lean (the default) or sdk');
});
