import { describe, expect, test } from 'bun:test';
import { escapeXml, sayThenTwiml, streamTwiml } from './twiml.ts';

describe('streamTwiml', () => {
  test('says, then connects a bidirectional stream with parameters and an action', () => {
    expect(
      streamTwiml({
        say: 'O.K. you can start talking!',
        streamUrl: 'wss://voice.example.com/media-stream',
        parameters: { agent: 'greeter' },
        action: 'https://voice.example.com/call-ended',
      }),
    ).toBe(
      '<?xml version="1.0" encoding="UTF-8"?><Response><Say>O.K. you can start talking!</Say>' +
        '<Connect action="https://voice.example.com/call-ended">' +
        '<Stream url="wss://voice.example.com/media-stream"><Parameter name="agent" value="greeter"/></Stream>' +
        '</Connect></Response>',
    );
  });

  test('omits <Say> when there is nothing to say', () => {
    expect(streamTwiml({ streamUrl: 'wss://h/media-stream' })).not.toContain('<Say>');
  });

  test('escapes every value that comes from config or the caller', () => {
    const xml = streamTwiml({
      say: 'Tom & Jerry <3 "quotes" \'n\'',
      streamUrl: 'wss://h/media-stream',
      parameters: { 'a"b': '</Stream><Hangup/>' },
    });
    expect(xml).toContain('<Say>Tom &amp; Jerry &lt;3 &quot;quotes&quot; &apos;n&apos;</Say>');
    expect(xml).toContain('name="a&quot;b" value="&lt;/Stream&gt;&lt;Hangup/&gt;"');
    expect(xml).not.toContain('<Hangup/>');
  });
});

test('sayThenTwiml hangs up, dials a number, or dials a SIP URI', () => {
  expect(sayThenTwiml({ say: 'Sorry & goodbye' })).toBe(
    '<?xml version="1.0" encoding="UTF-8"?><Response><Say>Sorry &amp; goodbye</Say><Hangup/></Response>',
  );
  expect(sayThenTwiml({})).toBe('<?xml version="1.0" encoding="UTF-8"?><Response><Hangup/></Response>');
  expect(sayThenTwiml({ say: 'One moment.', dial: '+15551234567' })).toEndWith(
    '<Say>One moment.</Say><Dial>+15551234567</Dial></Response>',
  );
  expect(sayThenTwiml({ dial: 'sip:desk@example.com?x=1&y=2' })).toEndWith(
    '<Dial><Sip>sip:desk@example.com?x=1&amp;y=2</Sip></Dial></Response>',
  );
});

test('escapeXml leaves plain text alone', () => {
  expect(escapeXml('hello world')).toBe('hello world');
});
