import { expect, test } from 'bun:test';
import { join } from 'node:path';
import type { Config } from '../config/index.ts';
import { adminToken, audioPath, DEFAULT_PORT, Environment, EXAMPLE_PLACEHOLDERS, SettingsError, trustProxy } from './settings.ts';

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

test('PORT: 5050 unless PORT or --port says, --port first; anything but 0-65535 is one line', () => {
  expect(new Environment({}).port()).toBe(DEFAULT_PORT);
  expect(new Environment({ PORT: '8080' }).port()).toBe(8080);
  expect(new Environment({ PORT: '8080' }).port('0')).toBe(0);
  expect(() => new Environment({ PORT: 'http' }).port()).toThrow('port must be a whole number from 0 to 65535 (got http)');
  expect(() => new Environment({}).port('-1')).toThrow(SettingsError);
});

test('the OpenAI key: the YAML\'s first, then OPENAI_API_KEY, each named; neither is one line', () => {
  const config = (api_key?: string) => ({ openai: { api_key } }) as Config;
  expect(new Environment({ OPENAI_API_KEY: 'sk-env' }).openaiKey(config('sk-yaml'))).toEqual({ key: 'sk-yaml', name: 'openai.api_key' });
  expect(new Environment({ OPENAI_API_KEY: 'sk-env' }).openaiKey(config())).toEqual({ key: 'sk-env', name: 'OPENAI_API_KEY' });
  expect(() => new Environment({}).openaiKey(config())).toThrow('OPENAI_API_KEY is not set; export it or put it in .env (or set openai.api_key in the YAML)');
});

test('the placeholders are those .env.example ships', async () => {
  const example = await Bun.file(join(import.meta.dir, '../../.env.example')).text();
  for (const [name, value] of Object.entries(EXAMPLE_PLACEHOLDERS)) expect(example).toContain(`\n${name}=${value}\n`);
});

test('a placeholder counts only where the .env sets it and the environment did not override it', () => {
  const dotEnv = new Map(Object.entries({ OPENAI_API_KEY: 'sk-...', PUBLIC_URL: 'https://voice.example.com', TWILIO_AUTH_TOKEN: '' }));
  // What Bun does with that .env and nothing exported.
  expect(new Environment(Object.fromEntries(dotEnv)).placeholders(dotEnv)).toEqual(['OPENAI_API_KEY', 'PUBLIC_URL', 'TWILIO_AUTH_TOKEN']);
  // Exported values win over the file's, so the file's placeholders do no harm.
  expect(new Environment({ OPENAI_API_KEY: 'sk-real', PUBLIC_URL: 'https://voice.mine.example', TWILIO_AUTH_TOKEN: 'real' }).placeholders(dotEnv)).toEqual([]);
  // The example's values in the environment alone (no .env) are somebody's choice, not a leftover.
  expect(new Environment({ PUBLIC_URL: 'https://voice.example.com' }).placeholders(new Map())).toEqual([]);
});

test('the environment is read here and nowhere else in src', async () => {
  const readers: string[] = [];
  for await (const path of new Bun.Glob('**/*.ts').scan(join(import.meta.dir, '..'))) {
    if (path.endsWith('.test.ts') || path === 'server/settings.ts') continue;
    const source = await Bun.file(join(import.meta.dir, '..', path)).text();
    for (const [read] of source.matchAll(/\b(?:process\.)?env\.[A-Z][A-Z0-9_]*/g)) readers.push(`${path}: ${read}`);
  }
  expect(readers).toEqual([]);
});
