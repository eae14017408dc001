// A path parameter that is not valid percent-encoding (`/calls/%E0%A4%A`) is the request's fault:
// 400 with one line, on every route that decodes one (admin and console alike), never a 500 and
// never an error in the log. What stays: the auth check comes first, good paths still work.
import { expect, test } from 'bun:test';
import { get, session } from '../console-client.ts';
import { ADMIN_TOKEN, startHarness } from '../harness.ts';

const MALFORMED = ['%E0%A4%A', '%', '%ZZ', 'CA%C0'];
const LINE = 'Bad Request: malformed percent-encoding in the path\n';

test('malformed percent-encoding in a CallSid is a 400 on /calls/:sid and /console/api/calls/:sid', async () => {
  await using h = await startHarness({ store: 'sqlite://:memory:' });
  const origin = h.switchboard.url.origin;
  const bearer = { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } };
  const cookie = await session(origin, ADMIN_TOKEN);
  for (const sid of MALFORMED) {
    const admin = await fetch(`${origin}/calls/${sid}`, bearer);
    expect(`${admin.status} ${await admin.text()}`).toBe(`400 ${LINE}`);
    const console = await get(origin, `/console/api/calls/${sid}`, cookie);
    expect(`${console.status} ${await console.text()}`).toBe(`400 ${LINE}`);
    // Who may ask is still checked first.
    expect((await fetch(`${origin}/calls/${sid}`)).status).toBe(401);
    expect((await get(origin, `/console/api/calls/${sid}`)).status).toBe(401);
  }
  // Well-formed encodings decode as before.
  expect((await fetch(`${origin}/calls/CA%30%31`, bearer)).status).toBe(404);
  expect(await (await fetch(`${origin}/calls/CA%30%31`, bearer)).json()).toEqual({ error: 'no call CA01' });
  expect((await get(origin, `/console/api/calls/CA${'0'.repeat(32)}`, cookie)).status).toBe(404);
  expect(h.logs.filter((l) => l.includes('ERROR'))).toEqual([]);
});
