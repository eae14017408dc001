import { expect, test } from 'bun:test';
import { parseDotEnv } from './dot-env.ts';

test('NAME=VALUE lines as Bun reads them: comments and blanks skipped, quotes removed, empty values kept', () => {
  const text = ['# Copy to .env', 'OPENAI_API_KEY=sk-...', '', '  PUBLIC_URL = "https://voice.example.com"  ', 'TWILIO_AUTH_TOKEN=', "export A='b c'", '# PORT=5050', 'not a pair'].join('\n');
  expect(Object.fromEntries(parseDotEnv(text))).toEqual({
    OPENAI_API_KEY: 'sk-...',
    PUBLIC_URL: 'https://voice.example.com',
    TWILIO_AUTH_TOKEN: '',
    A: 'b c',
  });
});
