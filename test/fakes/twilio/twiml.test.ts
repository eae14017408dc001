// parseTwiml and parseXml: TwiML read the way Twilio reads it, refused where Twilio would refuse it.
import { describe, expect, test } from 'bun:test';
import { PUBLIC, STREAM_URL, TWIML } from './switchboard-stub.ts';
import { parseTwiml } from './twiml.ts';
import { parseXml } from './xml.ts';

describe('parseTwiml', () => {
  test('unescapes attributes and text, in any attribute order and quoting', () => {
    const twiml = parseTwiml(TWIML);
    expect(twiml.say).toEqual(['Hi & welcome']);
    expect(twiml.verbs).toEqual(['Say', 'Connect']);
    expect(twiml.streamUrl).toBe(STREAM_URL);
    expect(twiml.connectAction).toBe(`${PUBLIC}/call-ended?x=1&y=2`);
    expect(twiml.parameters).toEqual({ agent: 'greeter', token: `a"b<c>d'e&f` });
    expect(twiml.raw).toBe(TWIML);
  });

  test('single quotes, comments, numeric entities, CDATA, multi-line attributes', () => {
    const twiml = parseTwiml(
      `<?xml version='1.0'?><!-- hi --><Response><Say voice='alice'>caf&#233; &#x1F600;</Say>` +
        `<Say><![CDATA[a < b & c]]></Say><Connect\n  action = 'https://p/a'\n><Stream\n url='wss://p/s'><Parameter\n value='v' name='n'></Parameter></Stream></Connect><Hangup/></Response>`,
    );
    expect(twiml.say).toEqual(['café 😀', 'a < b & c']);
    expect(twiml.connectAction).toBe('https://p/a');
    expect(twiml.streamUrl).toBe('wss://p/s');
    expect(twiml.parameters).toEqual({ n: 'v' });
    expect(twiml.verbs).toEqual(['Say', 'Say', 'Connect', 'Hangup']);
  });

  test('no stream: say and hangup', () => {
    const twiml = parseTwiml('<Response><Say>Sorry.</Say><Hangup/></Response>');
    expect(twiml).toMatchObject({ say: ['Sorry.'], verbs: ['Say', 'Hangup'], parameters: {} });
    expect(twiml.streamUrl).toBeUndefined();
  });

  test('rejects what Twilio would reject (unescaped values, broken XML)', () => {
    expect(() => parseTwiml('<Response><Say>Tom & Jerry</Say></Response>')).toThrow(/bare '&'/);
    expect(() => parseTwiml('<Response><Connect action="a<b"/></Response>')).toThrow(/unescaped '<'/);
    expect(() => parseTwiml('<Response><Say>&nbsp;</Say></Response>')).toThrow(/unknown entity/);
    expect(() => parseTwiml('<Response><Say>hi</Response>')).toThrow(/closes <Say>/);
    expect(() => parseTwiml('<Response><Stream url="a" url="b"/></Response>')).toThrow(/duplicate attribute/);
    expect(() => parseTwiml('<Response><Stream url=a/></Response>')).toThrow(/must be quoted/);
    expect(() => parseTwiml('<Response><Stream url="a"name="b"/></Response>')).toThrow(/whitespace/);
    expect(() => parseTwiml('<Response/><Response/>')).toThrow(/after the root/);
    expect(() => parseTwiml('<Reply/>')).toThrow(/expected <Response>/);
    expect(parseXml('<a b="1"><c/>t</a>')).toEqual({ name: 'a', attributes: { b: '1' }, children: [{ name: 'c', attributes: {}, children: [] }, 't'] });
  });
});
