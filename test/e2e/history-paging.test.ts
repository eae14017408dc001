// Paging the call history through both readers, GET /calls (admin: the next page in a `Link`
// header) and GET /console/api/calls (the console: `next` in the body), across calls that started
// in the same millisecond and a call still in progress: every call exactly once, newest first.
import { expect, test } from 'bun:test';
import { ADMIN_TOKEN, liveCall, startHarness } from '../harness.ts';
import { getJson, session } from '../console-client.ts';

const sid = (n: number) => `CA${String(n).padStart(32, '0')}`;

test('every call appears once, in order, paged by one or two through the admin API and the console alike', async () => {
  await using h = await startHarness({ store: 'sqlite://:memory:' });
  const store = h.switchboard.context.store!;
  const origin = h.switchboard.url.origin;
  // Ended a minute ago: three in one millisecond, one just after, one just before.
  const same = Date.now() - 60_000;
  const ended = [
    [sid(5), same + 1],
    [sid(4), same],
    [sid(3), same],
    [sid(2), same],
    [sid(1), same - 1],
  ] as const;
  for (const [callSid, startedAt] of ended) {
    store.callStarted({ callSid, startedAt, direction: 'inbound', from: '+15557654321', to: '+14155550199', agent: 'greeter' });
    store.callEnded(callSid, startedAt + 500, 'caller_hangup', ['greeter']);
  }
  // A call in progress, recorded as it goes (the recorder's first sync) and newest of all.
  const { call } = await liveCall(h);
  for (const deadline = Date.now() + 3000; !(await store.getCall(call.callSid)) && Date.now() < deadline; ) await Bun.sleep(20);
  expect((await store.getCall(call.callSid))?.call.endedAt).toBeUndefined();
  const expected = [call.callSid, ...ended.map(([callSid]) => callSid)];

  for (const limit of [1, 2]) {
    // Admin: live rows head the first page (the call in progress once, as its live row), then the recorded ones.
    const admin: { callSid: string; live: boolean }[] = [];
    let path: string | null = `/calls?limit=${limit}`;
    for (let pages = 0; path !== null && pages < 20; pages++) {
      const response: Response = await fetch(`${origin}${path}`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
      expect(response.status).toBe(200);
      admin.push(...((await response.json()) as { callSid: string; live: boolean }[]));
      path = /^<([^>]+)>; rel="next"$/.exec(response.headers.get('link') ?? '')?.[1] ?? null;
      if (path !== null) expect(path).toContain(`limit=${limit}`);
    }
    expect(admin.map((c) => c.callSid)).toEqual(expected);
    expect(admin.map((c) => c.live)).toEqual([true, false, false, false, false, false]);
    expect(admin[0]).toMatchObject({ state: 'connected', agent: 'greeter' });

    // Console: the recorded calls, the one in progress marked live.
    const cookie = await session(origin, ADMIN_TOKEN);
    const console: { callSid: string; live: boolean }[] = [];
    let query: string | null = `limit=${limit}`;
    for (let pages = 0; query !== null && pages < 20; pages++) {
      const page = await getJson(origin, `/console/api/calls?${query}`, cookie);
      console.push(...page.calls);
      query = page.next === null ? null : `limit=${limit}&before=${page.next.before}&beforeSid=${page.next.beforeSid}`;
    }
    expect(console.map((c) => c.callSid)).toEqual(expected);
    expect(console.map((c) => c.live)).toEqual([true, false, false, false, false, false]);
  }
});

test('both readers take the same query: one page size, the same words for a bad one', async () => {
  await using h = await startHarness({ store: 'sqlite://:memory:' });
  const origin = h.switchboard.url.origin;
  const cookie = await session(origin, ADMIN_TOKEN);
  const refused: [string, string][] = [
    ['limit=101', 'limit must be a whole number from 1 to 100'],
    ['before=yesterday', 'before must be a start time in milliseconds (from the previous page)'],
    ['before=1&beforeSid=CA%27', 'beforeSid must be a CallSid (from the previous page)'],
    [`agent=${'a'.repeat(65)}`, 'agent is longer than 64 characters'],
  ];
  for (const [query, error] of refused) {
    const admin = await fetch(`${origin}/calls?${query}`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
    const console = await fetch(`${origin}/console/api/calls?${query}`, { headers: { cookie } });
    expect([admin.status, ((await admin.json()) as { error: string }).error]).toEqual([400, error]);
    expect([console.status, ((await console.json()) as { error: string }).error]).toEqual([400, error]);
  }
});
