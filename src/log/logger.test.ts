import { expect, test } from 'bun:test';
import { errorMessage, formatJson, formatLine, levelFromEnv, Logger, maskNumber, maskPhoneNumbers, parseFormat, parseLevel, type Level } from './logger.ts';

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

test('text lines: control characters in the message and in values are escaped, never written raw', () => {
  const line = formatLine('info', 'said \x1b[31mred\x1b[0m\r', { text: 'a\x1b[2Jb\rFAKE INFO line\x07', csi: 'x\x9by', rtl: 'a\u202eb', key: 'plain' }, new Date(0));
  expect(line).toBe(
    '1970-01-01T00:00:00.000Z INFO  said \\u001b[31mred\\u001b[0m\\r text="a\\u001b[2Jb\\rFAKE INFO line\\u0007" csi="x\\u009by" rtl="a\\u202eb" key=plain',
  );
  expect(line).not.toMatch(/[\x00-\x1f\x7f-\x9f\u202e]/);
  // A backslash is quoted, so `\u001b` written by a caller cannot pass for an escape.
  expect(formatLine('info', 'm', { text: 'a\\u001b' }, new Date(0))).toEndWith('text="a\\\\u001b"');
});

test('JSON lines: every control character escaped, C1 and bidirectional ones too', () => {
  const line = formatJson('info', 'said \x1b[31m', { text: 'a\rb\x07\x9b\u2028\u202e' }, new Date(0));
  expect(line).not.toMatch(/[\x00-\x1f\x7f-\x9f\u2028\u202e]/);
  expect(JSON.parse(line)).toMatchObject({ msg: 'said \x1b[31m', text: 'a\rb\x07\x9b\u2028\u202e' });
});

test('a phone number anywhere in a string keeps its last four digits; CallSids, timestamps and numbers stay', () => {
  const fields = {
    callSid: 'CA0123456789abcdef0123456789abcdef',
    result: 'You are calling from +15558675309',
    note: 'or (555) 867-5309, or +1 555 867 5309',
    at: '2026-03-01T10:00:00.000Z',
    count: 15558675309,
  };
  const text = formatLine('info', 'caller +15558675309 said hi', fields, new Date(0));
  expect(text).toBe(
    '1970-01-01T00:00:00.000Z INFO  caller ********5309 said hi callSid=CA0123456789abcdef0123456789abcdef result="You are calling from ********5309" note="or (***) ***-5309, or +* *** *** 5309" at=2026-03-01T10:00:00.000Z count=15558675309',
  );
  const json = JSON.parse(formatJson('info', 'caller +15558675309', fields, new Date(0)));
  expect(json).toMatchObject({ msg: 'caller ********5309', result: 'You are calling from ********5309', callSid: fields.callSid, at: fields.at, count: 15558675309 });
  expect(maskPhoneNumbers('********5309')).toBe('********5309');
});
