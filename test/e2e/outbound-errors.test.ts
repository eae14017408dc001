// POST /calls when something is wrong: the request (one line per mistake), the admin token, the
// server's settings, and Twilio's refusals, each said in one line without a secret.
import { expect, test } from 'bun:test';
import { AGENTS, CALLEE, outboundHarness, OWNED, placeCall, postCall } from '../outbound.ts';
import { AUTH_TOKEN, callStarted, eventually, startHarness } from '../harness.ts';

const answer = async (r: Response) => `${r.status} ${await r.text()}`;

test('mistakes in the request: 400, one line for each, and nothing is sent to Twilio', async () => {
  const { rest, h } = await outboundHarness(AGENTS);
  await using _rest = rest;
  await using _h = h;
  const cases: [unknown, string][] = [
    [{}, 'to is required: the number to call, like +15551234567'],
    [{ to: '555-1234' }, 'to must be an E.164 number like +15551234567 (got "555-1234")'],
    [{ to: 15551234567 }, 'to must be an E.164 number like +15551234567 (got 15551234567)'],
    [{ to: CALLEE, from: '+0123' }, 'from must be an E.164 number like +15551234567 (got "+0123")'],
    [{ to: CALLEE, agent: 'sales' }, 'agent: unknown agent "sales"; the agents are greeter, reminder'],
    [{ to: CALLEE, agent: 'toString' }, 'agent: unknown agent "toString"; the agents are greeter, reminder'],
    [{ to: CALLEE, agnet: 'reminder' }, 'unknown field "agnet"; the fields are to, agent, from, parameters'],
    [{ to: CALLEE, parameters: ['Ada'] }, 'parameters must be an object of strings, like {"name": "Ada"}'],
    [{ to: CALLEE, parameters: { 'first name': 'Ada' } }, 'parameters: the name "first name" must be 1 to 64 letters, digits, _ or - (it becomes {{call.param.NAME}})'],
    [{ to: CALLEE, parameters: { order: 42 } }, 'parameters.order must be a string (got 42)'],
    [{ to: CALLEE, parameters: { note: 'x'.repeat(257) } }, 'parameters.note is longer than 256 characters'],
    [{ to: CALLEE, parameters: Object.fromEntries(Array.from({ length: 11 }, (_, i) => [`p${i}`, 'v'])) }, 'parameters: at most 10 (got 11)'],
    [{ to: CALLEE, parameters: Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`p${i}`, '€'.repeat(256)])) }, 'parameters make the answer URL longer than Twilio accepts (4000 characters); shorten them'],
    [[CALLEE], 'the body must be a JSON object like {"to": "+15551234567"}'],
    ['{"to": ', 'the body is not JSON; send e.g. {"to": "+15551234567"}'],
  ];
  for (const [body, message] of cases) expect(await answer(await postCall(h, body))).toBe(`400 ${message}\n`);
  // Every mistake at once, each on its own line.
  expect(await answer(await postCall(h, { to: 'me', agent: 'sales' }))).toBe(
    '400 to must be an E.164 number like +15551234567 (got "me")\nagent: unknown agent "sales"; the agents are greeter, reminder\n',
  );
  expect(await answer(await postCall(h, `to=${CALLEE}`, { 'content-type': 'application/x-www-form-urlencoded' }))).toBe(
    '415 send the call as JSON with Content-Type: application/json, e.g. {"to": "+15551234567"}\n',
  );
  expect(rest.requests).toEqual([]);
});

test('no number to call from: neither the request, outbound.from nor TWILIO_FROM', async () => {
  const { rest, h } = await outboundHarness(AGENTS);
  await using _rest = rest;
  await using _h = h;
  h.switchboard.context.settings.twilioFrom = undefined;
  expect(await answer(await postCall(h, { to: CALLEE }))).toBe('400 no number to call from: give from, or set outbound.from in the YAML or TWILIO_FROM\n');
  expect(rest.requests).toEqual([]);
});

test('without the admin token: 401 and nothing sent to Twilio; with outbound calls off: 503 saying what to set', async () => {
  const { rest, h } = await outboundHarness(AGENTS);
  await using _rest = rest;
  await using _h = h;
  expect(await answer(await postCall(h, { to: CALLEE }, { authorization: 'Bearer wrong' }))).toBe('401 Unauthorized\n');
  expect(await answer(await postCall(h, { to: CALLEE }, { authorization: '' }))).toBe('401 Unauthorized\n');
  expect(rest.requests).toEqual([]);

  await using plain = await startHarness({ yaml: AGENTS });
  expect(await answer(await postCall(plain, { to: CALLEE, from: OWNED }))).toBe(
    '503 outbound calls are off: set TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN (or TWILIO_API_KEY and TWILIO_API_SECRET) and restart\n',
  );
});

test("Twilio's refusals become one line: its message and code, or what to check for credentials", async () => {
  const { rest, h } = await outboundHarness(AGENTS);
  await using _rest = rest;
  await using _h = h;
  // A From this account does not own: Twilio's own words.
  expect(await answer(await postCall(h, { to: CALLEE, from: '+15550009999' }))).toBe(
    "400 Twilio refused the call: The source phone number provided, +15550009999, is not yet verified for your account. You may only make calls from phone numbers that you've verified or purchased from Twilio. (error 21210, https://www.twilio.com/docs/errors/21210)\n",
  );
  rest.refuseNext({ status: 400, code: 21211, message: `The 'To' number ${CALLEE} is not a valid phone number.` });
  expect(await answer(await postCall(h, { to: CALLEE }))).toBe(
    `400 Twilio refused the call: The 'To' number ${CALLEE} is not a valid phone number. (error 21211, https://www.twilio.com/docs/errors/21211)\n`,
  );
  // Twilio says only "Authenticate": the answer says what to check, and never the token.
  h.switchboard.context.settings.twilio!.password = 'not-the-token';
  const refused = await answer(await postCall(h, { to: CALLEE }));
  expect(refused).toBe('502 Twilio refused the credentials: check TWILIO_ACCOUNT_SID with TWILIO_AUTH_TOKEN, or TWILIO_API_KEY and TWILIO_API_SECRET (error 20003)\n');
  expect(h.logs.filter((l) => l.includes('outbound call not placed')).map((l) => / status=(\d+) code=(\d+)/.exec(l)?.slice(1).join(' '))).toEqual([
    '400 21210',
    '400 21211',
    '401 20003',
  ]);
  // Twilio's message quoted the number; the log did not.
  expect(h.logs.join('\n')).not.toContain(CALLEE.slice(1));

  await rest[Symbol.asyncDispose]();
  h.switchboard.context.settings.twilio!.password = AUTH_TOKEN;
  const unreachable = await answer(await postCall(h, { to: CALLEE }));
  expect(unreachable).toStartWith(`502 cannot reach the Twilio API at ${rest.baseUrl}: `);
  expect(unreachable.trimEnd().split('\n')).toHaveLength(1);
});

test('a draining server places no new calls', async () => {
  const { rest, h } = await outboundHarness(AGENTS);
  await using _rest = rest;
  await using _h = h;
  h.switchboard.context.draining = true;
  expect(await answer(await postCall(h, { to: CALLEE }))).toBe('503 draining: not placing new calls\n');
  expect(rest.requests).toEqual([]);
});

test('at the concurrency limit no call is placed (it would only hear the busy message); once a call ends, it is', async () => {
  const { rest, h } = await outboundHarness(`${AGENTS}\nlimits: { max_concurrent_calls: 1 }\n`);
  await using _rest = rest;
  await using _h = h;
  const first = await placeCall(h, { to: CALLEE });
  // Answered: the callee hears the greeting on its way to the stream, and counts as a call.
  const answered = await rest.answer(first.callSid, h.twilio);
  expect(answered.status).toBe(200);
  const full = '429 at capacity: 1 of 1 calls (limits.max_concurrent_calls) in progress or ringing; try again when one ends\n';
  expect(await answer(await postCall(h, { to: CALLEE }))).toBe(full);
  const call = await h.twilio.call({ twiml: answered.twiml, params: answered.params });
  await callStarted(h, call.callSid);
  expect(await answer(await postCall(h, { to: CALLEE }))).toBe(full);
  expect(rest.requests).toHaveLength(1);
  await call.hangup();
  await eventually(() => h.switchboard.calls.size === 0, 3000, 'the call to end');
  expect((await postCall(h, { to: CALLEE })).status).toBe(201);
  expect(rest.requests).toHaveLength(2);
});
