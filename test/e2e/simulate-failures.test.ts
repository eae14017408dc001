// `switchboard simulate` must not call a failed call a success: each way a call goes wrong is a
// failed call with its reason on one line and exit 1, and --expect turns the expected one into a pass.
import { expect, test } from 'bun:test';
import { runCli } from '../cli.ts';
import { AUTH_TOKEN, PUBLIC_URL, SHIPPED_YAML, startHarness, type Harness } from '../harness.ts';

const CALL = 'call 1 CA[0-9a-f]{32}';
const FALLBACK = 'says "Sorry, something went wrong on our side. Please call again later." and hangs up';

/** simulate against the harness's server, signed with its token unless `unsigned`. */
function simulate(h: Harness, args: string[], options: { unsigned?: boolean } = {}) {
  const auth = options.unsigned ? [] : ['--auth-token', AUTH_TOKEN];
  return runCli(['simulate', '--url', h.switchboard.url.origin, '--public-url', PUBLIC_URL, ...auth, '--say-ms', '0', ...args]);
}

test('a wrong OpenAI key: the server ends the stream, the fallback plays, and the call failed', async () => {
  // The fake API refuses the server's key with 401, as OpenAI does.
  await using h = await startHarness({ realtime: { apiKey: 'sk-not-the-servers-key' } });
  // --seconds 10: the failure must come from the server, long before the caller would hang up.
  const [plain, json, expected] = await Promise.all([
    simulate(h, ['--seconds', '10']),
    simulate(h, ['--seconds', '10', '--json']),
    simulate(h, ['--seconds', '10', '--expect', 'fallback']),
  ]);

  expect(plain.code).toBe(1);
  expect(plain.stdout).toMatch(
    new RegExp(`^${CALL}: failed: no agent audio; the server ended the stream \\(upstream_failed\\) and its fallback ${FALLBACK}\n`),
  );
  expect(plain.stdout).toEndWith('\n0/1 calls completed, 1 failed; no agent audio; 0 marks, 0 clears\n');
  expect(plain.stdout).not.toContain('1/1 calls completed');

  expect(json.code).toBe(1);
  const reason = `no agent audio; the server ended the stream (upstream_failed) and its fallback ${FALLBACK}`;
  expect(JSON.parse(json.stdout)).toMatchObject({ calls: 1, completed: 0, failed: 1, errors: [reason], streams: [{ outcome: 'fallback', error: reason }] });

  // Checking that callers get the fallback when the upstream fails: that is a pass.
  expect({ code: expected.code, stderr: expected.stderr }).toEqual({
    code: 0,
    stderr: `simulate: 1 call to ${h.switchboard.url.origin} for 10 s each, expecting the fallback\nsimulate: 1/1 calls connected\n`,
  });
  expect(expected.stdout).toMatch(new RegExp(`^${CALL}: fallback, as expected: ${reason.replace(/[().]/g, '\\$&')}\n`));
  expect(expected.stdout).toContain('\n1/1 calls completed as expected (--expect fallback); no agent audio;');
});

test('a busy server: a failure unless --expect busy', async () => {
  await using h = await startHarness({ yaml: `limits: { max_concurrent_calls: 1, busy_say: "All lines busy." }\n${SHIPPED_YAML}` });
  // A caller still listening to <Say> holds the only line.
  expect((await h.twilio.webhook()).twiml?.streamUrl).toBeDefined();

  const [plain, expected] = await Promise.all([simulate(h, ['--seconds', '5']), simulate(h, ['--seconds', '5', '--expect', 'busy'])]);
  expect(plain.code).toBe(1);
  expect(plain.stdout).toMatch(new RegExp(`^${CALL}: failed: the server is busy: it says "All lines busy\\." and hangs up\n0/1 calls completed, 1 failed;`));
  expect(expected.code).toBe(0);
  expect(expected.stdout).toMatch(new RegExp(`^${CALL}: busy, as expected: the server is busy: it says "All lines busy\\." and hangs up\n1/1 calls completed as expected \\(--expect busy\\);`));
});

test('an unsigned call to a server that checks signatures: refused, with what to set', async () => {
  await using h = await startHarness();
  const [plain, expected] = await Promise.all([
    simulate(h, ['--seconds', '5'], { unsigned: true }),
    simulate(h, ['--seconds', '5', '--expect', 'refused'], { unsigned: true }),
  ]);
  const hint =
    'the webhook answered 403 Forbidden; the server wants a signature: TWILIO_AUTH_TOKEN (or --auth-token) is not set, so this call was unsigned; ' +
    "simulate signs like Twilio and needs PUBLIC_URL and TWILIO_AUTH_TOKEN to be the server's (only a server started with --insecure takes unsigned calls)";
  expect(plain.code).toBe(1);
  expect(plain.stdout).toMatch(new RegExp(`^${CALL}: failed: `));
  expect(plain.stdout.split('\n')[0]!.replace(/^.*?: failed: /, '')).toBe(hint);
  // Checking that the server turns unsigned calls away is a pass.
  expect(expected.code).toBe(0);
  expect(expected.stdout).toContain(`: refused, as expected: ${hint}\n1/1 calls completed as expected (--expect refused);`);
  expect(h.logs.filter((l) => l.includes('webhook refused: bad signature')).length).toBe(2);
});
