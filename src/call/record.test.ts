import { expect, test } from 'bun:test';
import { Logger, type Level } from '../log/logger.ts';
import { compileRedactor } from '../privacy/redact.ts';
import { logEnded, newRecord } from './record.ts';

const redact = compileRedactor(['card_number']);

function ended() {
  const record = newRecord(0);
  Object.assign(record, {
    endedAt: 2000,
    endReason: 'caller_hangup',
    transcript: [{ role: 'caller', text: 'Card 4111 1111 1111 1111 please' }],
    tools: [{ name: 'whoami', arguments: '{"n":"+15558675309"}', result: 'You are calling from +15558675309', durationMs: 12 }],
  });
  return record;
}

function linesAt(level: Level, content: boolean): string[] {
  const lines: string[] = [];
  logEnded(ended(), new Logger(level, {}, (line) => lines.push(line.slice(25))), { redact, content });
  return lines;
}

test('at info: what was done, never what was said or a tool\'s arguments and result', () => {
  expect(linesAt('info', false)).toEqual(['INFO  tool used tool=whoami durationMs=12', 'INFO  call ended reason=caller_hangup seconds=2 turns=1 tools=1']);
});

test('at debug, or at info with logging.content: the conversation, redacted, numbers masked', () => {
  const said = [
    'transcript role=caller text="Card [card_number] please"',
    'tool used tool=whoami durationMs=12 arguments="{\\"n\\":\\"********5309\\"}" result="You are calling from ********5309"',
  ];
  expect(linesAt('debug', false).slice(0, 2)).toEqual(said.map((l) => `DEBUG ${l}`));
  expect(linesAt('info', true).slice(0, 2)).toEqual(said.map((l) => `INFO  ${l}`));
});
