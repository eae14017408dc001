import { expect, test } from 'bun:test';
import { adminToken, audioPath, SettingsError, trustProxy } from './settings.ts';

test('AUDIO_PATH is lean by default, sdk on request, and anything else is one clear error', () => {
  expect(audioPath(undefined)).toBe('lean');
  expect(audioPath('')).toBe('lean');
  expect(audioPath('lean')).toBe('lean');
  expect(audioPath('sdk')).toBe('sdk');
  expect(() => audioPath('SDK ')).toThrow(SettingsError);
  expect(() => audioPath('fast')).toThrow('AUDIO_PATH must be lean (the default) or sdk');
});

test('ADMIN_TOKEN: unset is off, 32 characters or more is taken, anything shorter is one line saying how to make one', () => {
  expect(adminToken(undefined)).toBeUndefined();
  expect(adminToken('')).toBeUndefined();
  const good = '0123456789abcdef0123456789abcdef';
  expect(adminToken(good)).toBe(good);
  for (const short of ['a', good.slice(1)]) {
    expect(() => adminToken(short)).toThrow(SettingsError);
    expect(() => adminToken(short)).toThrow('ADMIN_TOKEN must be at least 32 characters');
    expect(() => adminToken(short)).toThrow('openssl rand -hex 32');
  }
});

test('TRUST_PROXY: IP addresses, comma-separated, in canonical form; a name or a range is refused', () => {
  expect(trustProxy(undefined)).toEqual(new Set());
  expect(trustProxy('127.0.0.1, 0:0:0:0:0:0:0:1')).toEqual(new Set(['127.0.0.1', '::1']));
  expect(() => trustProxy('proxy.internal')).toThrow('TRUST_PROXY must list your reverse proxy\'s IP addresses, comma-separated (e.g. 127.0.0.1,::1); "proxy.internal" is not an IP address');
  expect(() => trustProxy('10.0.0.0/8')).toThrow(SettingsError);
});
