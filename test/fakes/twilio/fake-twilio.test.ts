// FakeTwilio's webhooks, against the stand-in switchboard (which checks them with the `twilio` package).
import { describe, expect, test } from 'bun:test';
import { FakeTwilio } from './fake-twilio.ts';
import { PUBLIC, STREAM_URL, TOKEN, startStub } from './switchboard-stub.ts';

describe('FakeTwilio webhooks', () => {
  test('POSTs realistic, signed form params over publicUrl + path to serverUrl + path', async () => {
    await using stub = await startStub();
    const twilio = new FakeTwilio({ serverUrl: stub.url, publicUrl: PUBLIC + '/', authToken: TOKEN });
    const answer = await twilio.webhook({ From: '+4930123456', Extra: 'a&b=c d' });
    expect(answer.status).toBe(200);
    expect(answer.twiml?.streamUrl).toBe(STREAM_URL);
    const req = stub.requests[0]!;
    expect(req.method).toBe('POST');
    expect(req.path).toBe('/incoming-call');
    expect(req.headers['content-type']).toStartWith('application/x-www-form-urlencoded');
    expect(req.params).toEqual(answer.params);
    expect(req.params).toMatchObject({
      AccountSid: twilio.accountSid,
      From: '+4930123456',
      Caller: '+4930123456',
      To: '+14155550199',
      Called: '+14155550199',
      CallStatus: 'ringing',
      Direction: 'inbound',
      ApiVersion: '2010-04-01',
      Extra: 'a&b=c d',
    });
    expect(req.params['CallSid']).toMatch(/^CA[0-9a-f]{32}$/);
    expect(twilio.accountSid).toMatch(/^AC[0-9a-f]{32}$/);
    expect(answer.signedUrl).toBe(`${PUBLIC}/incoming-call`);
  });

  test('query strings are signed, GET signs the URL only, unsigned and forged requests fail', async () => {
    await using stub = await startStub();
    const twilio = new FakeTwilio({ serverUrl: stub.url, publicUrl: PUBLIC, authToken: TOKEN });
    expect((await twilio.webhook({}, { path: '/incoming-call?agent=front%20desk' })).status).toBe(200);
    const get = await twilio.webhook({ CallSid: 'CAx' }, { method: 'GET' });
    expect(get.status).toBe(200);
    expect(stub.requests[1]!.method).toBe('GET');
    expect(stub.requests[1]!.params['CallSid']).toBe('CAx');
    expect((await twilio.webhook({}, { sign: false })).status).toBe(403);
    expect(stub.requests[2]!.headers['x-twilio-signature']).toBeUndefined();
    expect((await twilio.webhook({}, { headers: { 'X-Twilio-Signature': 'forged' } })).status).toBe(403);
    const dropped = await twilio.webhook({ Caller: undefined });
    expect(dropped.params['Caller']).toBeUndefined();
    expect(dropped.status).toBe(200);
  });

  test('TwiML that does not parse is an error', async () => {
    const server = Bun.serve({ port: 0, hostname: '127.0.0.1', fetch: () => new Response('<Response><Say>a & b</Say></Response>') });
    try {
      const twilio = new FakeTwilio({ serverUrl: `http://127.0.0.1:${server.port}`, publicUrl: PUBLIC });
      await expect(twilio.webhook()).rejects.toThrow(/does not parse: XML: bare '&'/);
    } finally {
      await server.stop(true);
    }
  });
});
