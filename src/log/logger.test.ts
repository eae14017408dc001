import { expect, test } from 'bun:test';
import { errorMessage, formatLine, levelFromEnv, Logger, maskNumber, parseLevel, type Level } from './logger.ts';

test('formats one line with quoted values where needed', () => {
  const line = formatLine('info', 'call started', { callSid: 'CA1', note: 'two words', n: 3, skip: undefined }, new Date(0));
  expect(line).toBe('1970-01-01T00:00:00.000Z INFO  call started callSid=CA1 note="two words" n=3');
});

test('children carry bound fields and levels filter', () => {
  const lines: [string, Level][] = [];
  const log = new Logger('info', {}, (line, level) => lines.push([line, level])).child({ callSid: 'CA9' });
  log.debug('hidden');
  log.warn('upstream slow', { ms: 300 });
  expect(lines).toHaveLength(1);
  expect(lines[0]![0]).toEndWith('WARN  upstream slow callSid=CA9 ms=300');
  expect(lines[0]![1]).toBe('warn');
});

test('errorMessage digs into SDK error events', () => {
  expect(errorMessage(new Error('boom'))).toBe('boom');
  expect(errorMessage({ type: 'error', error: new Error('inner') })).toBe('inner');
  expect(errorMessage({ type: 'error', error: { message: 'api said no' } })).toBe('api said no');
  expect(errorMessage('plain')).toBe('plain');
});

test('URLs in error messages lose their query string', () => {
  const error = new Error("WebSocket connection to 'wss://gw.example/v1/realtime?model=x&api-key=SECRET' failed");
  expect(errorMessage(error)).toBe("WebSocket connection to 'wss://gw.example/v1/realtime?…' failed");
  expect(errorMessage('see https://a.example/p?token=SECRET and ws://b/c')).toBe('see https://a.example/p?… and ws://b/c');
});

test('LOG_LEVEL in any case; serve refuses a level it does not know', () => {
  expect(levelFromEnv('DEBUG')).toBe('debug');
  expect(levelFromEnv(' Warn ')).toBe('warn');
  expect(levelFromEnv(undefined)).toBe('info');
  expect(parseLevel('Error')).toBe('error');
  expect(parseLevel('')).toBe('info');
  expect(() => parseLevel('verbose')).toThrow('LOG_LEVEL must be debug, info, warn or error (got "verbose")');
});

test('a phone number keeps only its last four digits', () => {
  expect(maskNumber('+15551234567')).toBe('********4567');
  expect(maskNumber('123')).toBe('****');
  expect(maskNumber(null)).toBeUndefined();
});
