// Outbound calls through POST /calls, against a fake Twilio REST API: the request Twilio gets, and
// what happens when the call is answered (the agent, pre-warmed, for a person; a message or a
// hang-up for a machine).
import { expect, test } from 'bun:test';
import { ACCOUNT, AGENTS, CALLEE, outboundHarness, OWNED, placeCall, postCall, STATUS_CALLBACK, type Placed } from '../outbound.ts';
import { AUTH_TOKEN, callStarted, eventually, pattern, PUBLIC_URL } from '../harness.ts';

test('POST /calls asks Twilio for the call; answered by a person, it reaches the agent with its parameters, pre-warmed', async () => {
  const { rest, h } = await outboundHarness(AGENTS);
  await using _rest = rest;
  await using _h = h;
  const r = await postCall(h, { to: CALLEE, agent: 'reminder', parameters: { name: 'Ada Lovelace', order: 'A&B/42' } });
  expect(r.status).toBe(201);
  const placed = (await r.json()) as Placed;
  expect(placed).toEqual({ callSid: rest.calls[0]!.sid, to: CALLEE, from: OWNED, agent: 'reminder', status: 'queued' });
  expect(rest.requests).toEqual([
    {
      method: 'POST',
      path: `/2010-04-01/Accounts/${ACCOUNT}/Calls.json`,
      authorization: `Basic ${Buffer.from(`${ACCOUNT}:${AUTH_TOKEN}`).toString('base64')}`,
      contentType: 'application/x-www-form-urlencoded',
      form: {
        To: CALLEE,
        From: OWNED,
        Url: `${PUBLIC_URL}/outbound-call?agent=reminder&param.name=Ada+Lovelace&param.order=A%26B%2F42`,
        Method: 'POST',
        // A call that ends unanswered frees its line: Twilio says so at the status callback.
        ...STATUS_CALLBACK,
      },
    },
  ]);

  // Twilio requests the Url, signed over it with its query: the stream, with a token, and the say.
  const answered = await rest.answer(placed.callSid, h.twilio);
  expect(answered.status).toBe(200);
  expect(answered.twiml!.say).toEqual(['Hello Ada Lovelace']);
  expect(answered.twiml!.parameters.agent).toBe('reminder');
  expect(answered.twiml!.parameters.token).toMatch(/^\d+\./);
  const session = await h.realtime.nextSession();
  const update = await session.waitFor('session.update');
  expect(update.session.instructions).toBe(`Remind Ada Lovelace at ${CALLEE} of order A&B/42 (outbound-api).`);

  const call = await h.twilio.call({ twiml: answered.twiml, params: answered.params });
  await callStarted(h, call.callSid);
  expect(h.realtime.sessions).toHaveLength(1);
  expect(h.logs.find((l) => l.includes('upstream ready') && l.includes(call.callSid))).toContain('prewarmed=true');
  const audio = pattern(160 * 10, 3);
  await call.sendAudio(audio);
  await eventually(() => session.audio().length >= audio.length, 3000, 'callee audio upstream');
  expect(session.audio()).toEqual(audio);
  await session.speak(pattern(800, 7));
  expect(await call.waitForAudioBytes(800)).toEqual(pattern(800, 7));
  await call.hangup();
  // The callee's number is personal data: the log has its last four digits, never all of it.
  expect(h.logs.some((l) => l.includes('outbound call placed') && l.includes('to=********4321'))).toBe(true);
  expect(h.logs.join('\n')).not.toContain(CALLEE.slice(1));
});

test('hang_up: Twilio is asked to detect machines; a machine gets <Hangup/> and no session, a person the agent', async () => {
  const { rest, h } = await outboundHarness(`outbound: { machine_detection: hang_up, agent: reminder }\n${AGENTS}`);
  await using _rest = rest;
  await using _h = h;
  const first = await placeCall(h, { to: CALLEE, parameters: { name: 'Ada' } });
  expect(rest.calls[0]!.form.MachineDetection).toBe('Enable');
  expect(rest.calls[0]!.form.Url).toBe(`${PUBLIC_URL}/outbound-call?agent=reminder&param.name=Ada`);
  const machine = await rest.answer(first.callSid, h.twilio, 'machine_start');
  expect(machine.twiml!.verbs).toEqual(['Hangup']);
  expect(h.switchboard.context.prewarm.size).toBe(0);
  expect(h.logs.some((l) => l.includes('answered by a machine') && l.includes('answeredBy=machine_start') && l.includes('then=hang_up'))).toBe(true);

  // Twilio could not tell ('unknown'): more likely a person than not, so the agent takes it.
  for (const answeredBy of ['human', 'unknown']) {
    const { callSid } = await placeCall(h, { to: CALLEE, parameters: { name: 'Ada' } });
    const person = await rest.answer(callSid, h.twilio, answeredBy);
    expect(person.twiml!.verbs).toEqual(['Say', 'Connect']);
  }
  await eventually(() => h.realtime.sessions.length === 2, 3000, 'two pre-warmed sessions');
  expect(h.realtime.upgradeAttempts).toBe(2);
});

test('leave_message: Twilio waits for the beep; the machine hears the message with the call facts, a fax is hung up on', async () => {
  const yaml = `outbound:\n  machine_detection: leave_message\n  message: "Hi {{call.param.name}}, this is a reminder about order {{call.param.order}}. <Goodbye>"\n${AGENTS}`;
  const { rest, h } = await outboundHarness(yaml);
  await using _rest = rest;
  await using _h = h;
  const { callSid } = await placeCall(h, { to: CALLEE, parameters: { name: 'Ada', order: '42' } });
  expect(rest.calls[0]!.form.MachineDetection).toBe('DetectMessageEnd');
  for (const answeredBy of ['machine_end_beep', 'machine_end_silence', 'machine_end_other']) {
    const machine = await rest.answer(callSid, h.twilio, answeredBy);
    expect(machine.twiml!.verbs).toEqual(['Say', 'Hangup']);
    expect(machine.twiml!.say).toEqual(['Hi Ada, this is a reminder about order 42. <Goodbye>']);
  }
  expect((await rest.answer(callSid, h.twilio, 'fax')).twiml!.verbs).toEqual(['Hangup']);
  expect(h.realtime.upgradeAttempts).toBe(0);
});

test('/outbound-call: unsigned or re-signed for another agent is refused; an agent this server lacks hears the fallback', async () => {
  const { rest, h } = await outboundHarness(AGENTS);
  await using _rest = rest;
  await using _h = h;
  const params = { CallSid: 'CA00000000000000000000000000000001', From: OWNED, To: CALLEE, Direction: 'outbound-api' };
  const unsigned = await h.twilio.request(`${PUBLIC_URL}/outbound-call?agent=greeter`, params, { sign: false });
  expect(unsigned.status).toBe(403);
  // A signature over one agent does not carry over to another: the query is signed.
  const signed = h.twilio.signature(`${PUBLIC_URL}/outbound-call?agent=greeter`, params);
  const swapped = await h.twilio.request(`${PUBLIC_URL}/outbound-call?agent=reminder`, params, { sign: false, headers: { 'X-Twilio-Signature': signed } });
  expect(swapped.status).toBe(403);

  const unknown = await h.twilio.request(`${PUBLIC_URL}/outbound-call?agent=sales`, params);
  expect(unknown.twiml!.verbs).toEqual(['Say', 'Hangup']);
  expect(unknown.twiml!.say).toEqual(['Sorry, something went wrong on our side. Please call again later.']);
  expect(h.logs.some((l) => l.includes('outbound call for an unknown agent') && l.includes('agent=sales'))).toBe(true);
  expect(h.realtime.upgradeAttempts).toBe(0);
});
