import { expect, test } from 'bun:test';
import { errorMessage, formatLine, levelFromEnv, Logger, maskNumber, parseFormat, parseLevel, type Level } from './logger.ts';

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

test('JSON lines: time, level, msg, then the fields; unset fields left out; core keys not overwritten', () => {
  const lines: string[] = [];
  const log = new Logger('info', {}, (line) => lines.push(line), 'json').child({ callSid: 'CA9' });
  log.info('call ended', { reason: 'idle', seconds: 1.5, gone: undefined, level: 'spoof' });
  expect(JSON.parse(lines[0]!)).toEqual({ time: expect.any(String), level: 'info', msg: 'call ended', callSid: 'CA9', reason: 'idle', seconds: 1.5 });
  expect(Object.keys(JSON.parse(lines[0]!)).slice(0, 3)).toEqual(['time', 'level', 'msg']);
});

test('LOG_FORMAT: json or text in any case; unset follows the terminal; anything else is refused', () => {
  expect(parseFormat(undefined, true)).toBe('text');
  expect(parseFormat('', false)).toBe('json');
  expect(parseFormat(' JSON ', true)).toBe('json');
  expect(parseFormat('Text', false)).toBe('text');
  expect(() => parseFormat('logfmt', false)).toThrow('LOG_FORMAT must be json or text (got "logfmt")');
});
