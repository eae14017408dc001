import { expect, test } from 'bun:test';
import { audioPath, SettingsError } from './settings.ts';

test('AUDIO_PATH is lean by default, sdk on request, and anything else is one clear error', () => {
  expect(audioPath(undefined)).toBe('lean');
  expect(audioPath('')).toBe('lean');
  expect(audioPath('lean')).toBe('lean');
  expect(audioPath('sdk')).toBe('sdk');
  expect(() => audioPath('SDK ')).toThrow(SettingsError);
  expect(() => audioPath('fast')).toThrow('AUDIO_PATH must be lean (the default) or sdk');
});
