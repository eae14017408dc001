import { expect, test } from 'bun:test';
import type { CallResult } from './caller.ts';
import { describeTwiml, judge, Refusal } from './outcome.ts';

const result = (over: Partial<CallResult>): CallResult => ({
  index: 0,
  callSid: 'CA1',
  startSentAt: 1,
  framesSent: 150,
  framesReceived: 0,
  clears: 0,
  marks: 0,
  downlinkMs: [],
  downlinkSentAt: [],
  agentAudio: [],
  ...over,
});

test('TwiML reads as what the caller hears: escapes undone, transfers named', () => {
  const xml = '<?xml version="1.0" encoding="UTF-8"?><Response>';
  expect(describeTwiml(`${xml}<Say>Tom &amp; Jerry&apos;s line</Say><Hangup/></Response>`)).toBe(`says "Tom & Jerry's line" and hangs up`);
  expect(describeTwiml(`${xml}<Say>Wait.</Say><Dial>+15550100002</Dial></Response>`)).toBe('says "Wait." and transfers the caller to +15550100002');
  expect(describeTwiml(`${xml}<Dial><Sip>sip:desk@example.com</Sip></Dial></Response>`)).toBe('says nothing and transfers the caller to sip:desk@example.com');
});

test('a call counts as completed only when it came to what was expected', () => {
  const heard = result({ framesReceived: 20, firstAudioMs: 812.4, end: { by: 'caller', code: 1000, reason: 'stop' } });
  judge(heard, 'audio');
  expect(heard).toMatchObject({ outcome: 'audio', detail: 'the agent answered: first audio after 812 ms, 0.4 s of agent audio' });
  expect(heard.error).toBeUndefined();

  const silent = result({ end: { by: 'caller', code: 1000, reason: 'stop' } });
  judge(silent, 'audio');
  expect(silent).toMatchObject({ outcome: 'silence', error: 'no agent audio in the 3 s the call lasted' });

  // Agent audio, then the server gave up on the call: the caller heard the fallback, not an answer.
  const dropped = result({ framesReceived: 50, firstAudioMs: 300, end: { by: 'server', code: 1000, reason: 'upstream_closed' }, after: '<Response><Say>Sorry.</Say><Hangup/></Response>' });
  judge(dropped, 'audio');
  expect(dropped.error).toBe('the server ended the stream (upstream_closed) after 1 s of agent audio and its fallback says "Sorry." and hangs up');
  judge(dropped, 'fallback');
  expect(dropped).toMatchObject({ outcome: 'fallback' });
  expect(dropped.error).toBeUndefined();

  const busy = result({ framesSent: 0 });
  judge(busy, 'refused', new Refusal('busy', 'the server is busy: it says "Busy." and hangs up'));
  expect(busy.error).toBe('expected a refusal, but the server is busy: it says "Busy." and hangs up');

  // The <Connect action> failing after the server ended the stream: nothing a user could expect.
  const broken = result({ end: { by: 'server', code: 1000, reason: 'idle' } });
  judge(broken, 'fallback', new Error('its <Connect action> answered 500 Internal Server Error'));
  expect(broken).toMatchObject({ outcome: 'error', error: 'expected the fallback, but no agent audio; the server ended the stream (idle), then its <Connect action> answered 500 Internal Server Error' });
});
