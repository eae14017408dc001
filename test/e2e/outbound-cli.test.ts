// `switchboard call` as a process, against a fake Twilio REST API; the call it places is then
// answered by a running server, as Twilio would, and reaches the agent.
import { expect, test } from 'bun:test';
import { runCli, runServe, scratchDir } from '../cli.ts';
import { startFakeRealtime } from '../fakes/realtime-server.ts';
import { startFakeTwilioRest } from '../fakes/twilio-rest.ts';
import { ADMIN_TOKEN, API_KEY as OPENAI_KEY, AUTH_TOKEN, PUBLIC_URL, startHarness } from '../harness.ts';
import { ACCOUNT, AGENTS, CALLEE, OWNED, postCall, STATUS_CALLBACK } from '../outbound.ts';

const API_KEY = `SK${'0123456789abcdef'.repeat(2)}`;
const API_SECRET = 'api-secret-never-printed';
const YAML = `outbound: { from: "${OWNED}", agent: reminder }\n${AGENTS}`;

async function call(args: string[], env: Record<string, string> = {}, yaml = YAML) {
  const rest = startFakeTwilioRest({ accountSid: ACCOUNT, credentials: [[ACCOUNT, AUTH_TOKEN], [API_KEY, API_SECRET]], numbers: [OWNED] });
  const base = { PUBLIC_URL, TWILIO_ACCOUNT_SID: ACCOUNT, TWILIO_AUTH_TOKEN: AUTH_TOKEN, TWILIO_API_BASE: rest.baseUrl };
  const result = await runCli(['call', ...args], { ...base, ...env }, scratchDir({ 'agents.yaml': yaml }));
  for (const secret of [AUTH_TOKEN, API_SECRET]) expect(result.stdout + result.stderr).not.toContain(secret);
  return { ...result, rest };
}

test('call: prints the CallSid; the call it placed, once answered, reaches the agent with its parameters', async () => {
  const r = await call([CALLEE, '--param', 'name=Ada', '--param', 'order=4=2']);
  await using rest = r.rest;
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  const { sid, form } = rest.calls[0]!;
  expect(r.stdout).toBe(
    `${sid} queued: calling ${CALLEE} from ${OWNED}, agent reminder\n` +
      `when it is answered, Twilio requests ${PUBLIC_URL}/outbound-call: switchboard serve must be running there with this agents.yaml\n`,
  );
  expect(rest.requests[0]!.path).toBe(`/2010-04-01/Accounts/${ACCOUNT}/Calls.json`);
  expect(rest.requests[0]!.authorization).toBe(`Basic ${Buffer.from(`${ACCOUNT}:${AUTH_TOKEN}`).toString('base64')}`);
  expect(form).toEqual({ To: CALLEE, From: OWNED, Url: `${PUBLIC_URL}/outbound-call?agent=reminder&param.name=Ada&param.order=4%3D2`, Method: 'POST', ...STATUS_CALLBACK });

  await using h = await startHarness({ yaml: YAML });
  const answered = await rest.answer(sid, h.twilio);
  const session = await h.realtime.nextSession();
  expect((await session.waitFor('session.update')).session.instructions).toBe(`Remind Ada at ${CALLEE} of order 4=2 (outbound-api).`);
  const stream = await h.twilio.call({ twiml: answered.twiml, params: answered.params });
  await session.speak(new Uint8Array(320).fill(0x7f));
  expect((await stream.waitForAudioBytes(320)).length).toBe(320);
  await stream.hangup();
});

test('call with an API key, --agent, --from, and machine detection from the YAML', async () => {
  const yaml = `outbound: { machine_detection: hang_up }\n${AGENTS}`;
  const r = await call([CALLEE, '--agent', 'greeter', '--from', OWNED], { TWILIO_API_KEY: API_KEY, TWILIO_API_SECRET: API_SECRET }, yaml);
  await using _rest = r.rest;
  expect(r.stderr).toBe('');
  expect(r.rest.requests[0]!.authorization).toBe(`Basic ${Buffer.from(`${API_KEY}:${API_SECRET}`).toString('base64')}`);
  expect(r.rest.calls[0]!.form).toEqual({ To: CALLEE, From: OWNED, Url: `${PUBLIC_URL}/outbound-call?agent=greeter`, Method: 'POST', MachineDetection: 'Enable', ...STATUS_CALLBACK });
});

/** Each case is a process of its own, one after the other (side by side is slower on two cores). */
async function mistakes(cases: [string[], Record<string, string>, string][]) {
  for (const [args, env, message] of cases) {
    const r = await call(args, env);
    await using _rest = r.rest;
    expect({ args, env, code: r.code, stdout: r.stdout, stderr: r.stderr }).toEqual({ args, env, code: 1, stdout: '', stderr: `switchboard: ${message}\n` });
    expect(r.rest.requests).toEqual([]);
  }
}

test('call: every mistake in the arguments is one line, exit 1, and Twilio is not asked', async () => {
  await mistakes([
    [[], {}, 'call needs the number to call, e.g. switchboard call +15551234567; see --help'],
    [['5551234'], {}, 'the number to call must be an E.164 number like +15551234567 (got "5551234")'],
    [[CALLEE, OWNED], {}, 'unexpected argument "+15550001111"; see --help'],
    [[CALLEE, '--agent', 'sales'], {}, '--agent: unknown agent "sales"; the agents are greeter, reminder'],
    [[CALLEE, '--from', '555'], {}, '--from must be an E.164 number like +15551234567 (got "555")'],
    [[CALLEE, '--param', 'name'], {}, '--param must be NAME=VALUE, e.g. --param name=Ada (got "name")'],
    [[CALLEE, '--param', 'first name=Ada'], {}, '--param: the name "first name" must be 1 to 64 letters, digits, _ or - (it becomes {{call.param.NAME}})'],
  ]);
});

test('call: every mistake in the environment is one line naming the variable, never its value', async () => {
  await mistakes([
    [[CALLEE], { TWILIO_ACCOUNT_SID: '' }, "TWILIO_ACCOUNT_SID is not set: calls are placed through Twilio's REST API with it and TWILIO_AUTH_TOKEN (or TWILIO_API_KEY and TWILIO_API_SECRET)"],
    [[CALLEE], { TWILIO_ACCOUNT_SID: AUTH_TOKEN }, 'TWILIO_ACCOUNT_SID must be an account SID: AC and 32 hex digits (Twilio Console › Account info)'],
    [[CALLEE], { TWILIO_AUTH_TOKEN: '' }, 'TWILIO_ACCOUNT_SID is set without TWILIO_AUTH_TOKEN or TWILIO_API_KEY and TWILIO_API_SECRET; outbound calls need one of them'],
    [[CALLEE], { TWILIO_API_KEY: API_KEY }, 'TWILIO_API_KEY and TWILIO_API_SECRET go together: set both, or neither to use TWILIO_AUTH_TOKEN'],
    [[CALLEE], { TWILIO_API_BASE: 'http://twilio.example.com' }, 'TWILIO_API_BASE must start with https:// (http:// only to this machine): requests to it carry your Twilio credentials'],
    [[CALLEE], { PUBLIC_URL: '' }, 'PUBLIC_URL is not set: when the call is answered, Twilio requests PUBLIC_URL/outbound-call of the running switchboard'],
  ]);
});

test("call: Twilio's refusal is one line, the credentials' without the token", async () => {
  const wrong = await call([CALLEE], { TWILIO_AUTH_TOKEN: 'wrong-token' });
  await using _wrong = wrong.rest;
  expect(wrong.rest.requests).toHaveLength(1);
  expect(wrong.stderr).toBe('switchboard: Twilio refused the credentials: check TWILIO_ACCOUNT_SID with TWILIO_AUTH_TOKEN, or TWILIO_API_KEY and TWILIO_API_SECRET (error 20003)\n');
  expect(wrong.code).toBe(1);

  const notOwned = await call([CALLEE, '--from', '+15550009999']);
  await using _notOwned = notOwned.rest;
  expect(notOwned.stderr).toStartWith('switchboard: Twilio refused the call: The source phone number provided, +15550009999, is not yet verified for your account.');
  expect(notOwned.stderr.trimEnd().split('\n')).toHaveLength(1);
  expect(notOwned.code).toBe(1);
});

test('serve reads the Twilio REST settings from the environment: POST /calls places the call; a malformed one stops it', async () => {
  await using rest = startFakeTwilioRest({ accountSid: ACCOUNT, credentials: [[ACCOUNT, AUTH_TOKEN]], numbers: [OWNED] });
  await using realtime = await startFakeRealtime({ apiKey: OPENAI_KEY });
  const env = {
    OPENAI_API_KEY: OPENAI_KEY,
    OPENAI_REALTIME_URL: realtime.url,
    PUBLIC_URL,
    TWILIO_AUTH_TOKEN: AUTH_TOKEN,
    ADMIN_TOKEN,
    TWILIO_ACCOUNT_SID: ACCOUNT,
    TWILIO_FROM: OWNED,
    TWILIO_API_BASE: rest.baseUrl,
  };
  let placed = '';
  const dir = scratchDir({ 'agents.yaml': AGENTS });
  const served = await runServe(['--port', '0'], env, dir, (out) => out.includes(' listening '), async (url) => {
    const r = await fetch(`${url}calls`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ to: CALLEE }),
    });
    placed = `${r.status} ${JSON.stringify(await r.json())}`;
  });
  expect(served.code).toBe(0);
  expect(placed).toBe(`201 ${JSON.stringify({ callSid: rest.calls[0]!.sid, to: CALLEE, from: OWNED, agent: 'greeter', status: 'queued' })}`);
  expect(rest.requests[0]!.authorization).toBe(`Basic ${Buffer.from(`${ACCOUNT}:${AUTH_TOKEN}`).toString('base64')}`);

  const refused = await runServe(['--port', '0'], { ...env, TWILIO_FROM: '555' }, dir, () => false);
  expect(refused.code).toBe(1);
  expect(refused.stderr).toBe('switchboard: TWILIO_FROM must be an E.164 number like +15551234567 (got "555")\n');
});

test('call: a premium or unlisted destination is refused in one line, exit 1, and Twilio is not asked', async () => {
  await mistakes([
    [['+19005550123'], {}, 'refused: +1900 is North American premium-rate (900) numbers; to call it, list "+1900" in outbound.allowed_destinations (allowing +1 does not include it)'],
    [['+8821234560123'], {}, 'refused: +882 is not allowed: without outbound.allowed_destinations, calls go only to +1, the country code of the number they come from; add the prefix to outbound.allowed_destinations to call there'],
  ]);
});

test('call: the dial-rate caps are counted in the store the YAML names, with the servers using it', async () => {
  const dir = scratchDir();
  const yaml = `storage: { url: "sqlite://${dir}/calls.db" }\noutbound: { from: "${OWNED}", max_per_day: 2 }\n${AGENTS}`;
  await using rest = startFakeTwilioRest({ accountSid: ACCOUNT, credentials: [[ACCOUNT, AUTH_TOKEN]], numbers: [OWNED] });
  const env = { PUBLIC_URL, TWILIO_ACCOUNT_SID: ACCOUNT, TWILIO_AUTH_TOKEN: AUTH_TOKEN, TWILIO_API_BASE: rest.baseUrl };
  const first = await runCli(['call', CALLEE], env, scratchDir({ 'agents.yaml': yaml }));
  expect(first.stderr).toBe('');
  expect(first.code).toBe(0);
  // A server on the same store places the day's second call.
  await using h = await startHarness({
    yaml,
    store: `sqlite://${dir}/calls.db`,
    settings: { twilio: { apiBase: rest.baseUrl, accountSid: ACCOUNT, username: ACCOUNT, password: AUTH_TOKEN }, twilioFrom: OWNED },
  });
  expect((await postCall(h, { to: CALLEE })).status).toBe(201);
  const third = await runCli(['call', CALLEE], env, scratchDir({ 'agents.yaml': yaml }));
  expect(third).toEqual({ code: 1, stdout: '', stderr: 'switchboard: refused: 2 calls placed today already (outbound.max_per_day, days in UTC); try again after 00:00 UTC\n' });
  expect(rest.requests).toHaveLength(2);
});
