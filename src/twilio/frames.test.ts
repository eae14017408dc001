import { describe, expect, test } from 'bun:test';
import { parseFrame } from './frames.ts';

const start = {
  event: 'start',
  sequenceNumber: '1',
  streamSid: 'MZ1',
  start: { streamSid: 'MZ1', accountSid: 'AC1', callSid: 'CA1', tracks: ['inbound'], customParameters: { agent: 'greeter' },
    mediaFormat: { encoding: 'audio/x-mulaw', sampleRate: 8000, channels: 1 } },
};

describe('parseFrame', () => {
  test('accepts the frames Twilio sends', () => {
    const frames = [
      { event: 'connected', protocol: 'Call', version: '1.0.0' },
      start,
      { event: 'media', sequenceNumber: '2', streamSid: 'MZ1', media: { track: 'inbound', chunk: '1', timestamp: '5', payload: '//8=' } },
      { event: 'mark', streamSid: 'MZ1', sequenceNumber: '3', mark: { name: 'm1' } },
      { event: 'dtmf', streamSid: 'MZ1', sequenceNumber: '4', dtmf: { track: 'inbound_track', digit: '1' } },
      { event: 'stop', streamSid: 'MZ1', sequenceNumber: '5', stop: { accountSid: 'AC1', callSid: 'CA1' } },
    ];
    for (const frame of frames) expect(parseFrame(JSON.stringify(frame))).toEqual(frame as never);
  });

  test.each([
    [Buffer.from('{}'), 'binary'],
    ['not json', 'not_json'],
    ['[1,2]', 'not_an_event'],
    ['"media"', 'not_an_event'],
    ['{"event":5}', 'not_an_event'],
    ['{"event":"surprise"}', 'unknown_event'],
    ['{"event":"media"}', 'malformed'],
    ['{"event":"media","media":{"payload":"not base64!"}}', 'malformed'],
    ['{"event":"media","media":{"payload":"abc"}}', 'malformed'],
    ['{"event":"start","start":{"streamSid":"MZ"}}', 'malformed'],
    ['{"event":"start","start":{"streamSid":"MZ","callSid":"CA","customParameters":{"a":{"b":1}}}}', 'malformed'],
    ['{"event":"mark","mark":{"name":7}}', 'malformed'],
    ['{"event":"dtmf","dtmf":{}}', 'malformed'],
    ['{"event":"dtmf","dtmf":{"digit":"12"}}', 'malformed'],
    ['{"event":"dtmf","dtmf":{"digit":"x"}}', 'malformed'],
  ] as const)('refuses %p as %s', (data, reason) => {
    expect(parseFrame(data as string | Buffer)).toBe(reason);
  });

  test('survives deeply nested JSON without throwing', () => {
    const deep = `${'['.repeat(5000)}${']'.repeat(5000)}`;
    expect(parseFrame(deep)).toBe('not_an_event');
  });
});
