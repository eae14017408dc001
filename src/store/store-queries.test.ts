// The store's queries for the operator's console (search, paging, the last day's numbers), against
// both engines: SQLite always, PostgreSQL when TEST_POSTGRES_URL is set.
import { describe, expect, test } from 'bun:test';
import { Logger } from '../log/logger.ts';
import { freshPostgres, POSTGRES_URL } from '../../test/postgres.ts';
import { CallStore } from './store.ts';

const quiet = new Logger('error');
const engines: [string, () => Promise<string | undefined>][] = [
  ['sqlite', async () => 'sqlite://:memory:'],
  ['postgres', freshPostgres],
];
const HOUR = 3_600_000;

/** Five ended calls: two agents, three end reasons, one number with a LIKE wildcard in it. */
async function seeded(url: string): Promise<CallStore> {
  const store = await CallStore.open(url, quiet, { flushEveryMs: 60_000 });
  const calls = [
    ['CA1', 10 * HOUR, '+15557654321', 'greeter', 'greeter', 'caller_hangup'],
    ['CA2', 10 * HOUR + 1, '+15550001111', 'greeter', 'greeter,sales', 'transferred'],
    ['CA3', 11 * HOUR, '+4930123456', 'sales', 'sales', 'upstream_failed'],
    ['CA4', 11 * HOUR + 5, 'client:a_b%', 'greeter_2', 'greeter_2', 'caller_hangup'],
    ['CA5', 11 * HOUR + 5, '+15557654321', 'greeter', 'greeter', 'idle'],
  ] as const;
  for (const [callSid, startedAt, from, agent, agents, reason] of calls) {
    store.callStarted({ callSid, startedAt, from, to: '+14155550199', agent, direction: 'inbound' });
    store.callEnded(callSid, startedAt + 1000, reason, agents.split(','));
  }
  await store.flush();
  return store;
}

const sids = (rows: { callSid: string }[]) => rows.map((r) => r.callSid);

describe.each(engines)('console queries on %s', (engine, url) => {
  const skip = engine === 'postgres' && !POSTGRES_URL;

  test.skipIf(skip)('search by part of a number, by an agent that had the call, by end reason, and together', async () => {
    await using store = disposable(await seeded((await url())!));
    expect(sids(await store.listCalls({ number: '4321' }))).toEqual(['CA5', 'CA1']);
    expect(sids(await store.listCalls({ number: '+1 (555) 765-4321' }))).toEqual(['CA5', 'CA1']);
    // The called number matches too (every call here was to +14155550199).
    expect(await store.listCalls({ number: '4155550199' })).toHaveLength(5);
    // LIKE's wildcards are literal in a search: "_" and "%" match only themselves.
    expect(sids(await store.listCalls({ number: 'a_b%' }))).toEqual(['CA4']);
    expect(sids(await store.listCalls({ number: 'a%b' }))).toEqual([]);
    // An agent that took the call in a handoff counts; "greeter" is not "greeter_2".
    expect(sids(await store.listCalls({ agent: 'sales' }))).toEqual(['CA3', 'CA2']);
    expect(sids(await store.listCalls({ agent: 'greeter' }))).toEqual(['CA5', 'CA2', 'CA1']);
    expect(sids(await store.listCalls({ agent: 'greeter_' }))).toEqual([]);
    expect(sids(await store.listCalls({ endReason: 'caller_hangup' }))).toEqual(['CA4', 'CA1']);
    expect(sids(await store.listCalls({ number: '4321', agent: 'greeter', endReason: 'idle' }))).toEqual(['CA5']);
  });

  test.skipIf(skip)('pages through calls that started in the same millisecond without skipping or repeating one', async () => {
    await using store = disposable(await seeded((await url())!));
    const first = await store.listCalls({ limit: 2 });
    expect(sids(first)).toEqual(['CA5', 'CA4']);
    const last = first.at(-1)!;
    const second = await store.listCalls({ limit: 2, before: last.startedAt, beforeSid: last.callSid });
    expect(sids(second)).toEqual(['CA3', 'CA2']);
    // Without the CallSid the page boundary is a start time only (GET /calls pages that way).
    expect(sids(await store.listCalls({ limit: 2, before: last.startedAt }))).toEqual(['CA3', 'CA2']);
    expect(sids(await store.listCalls({ before: second.at(-1)!.startedAt, beforeSid: 'CA2' }))).toEqual(['CA1']);
  });

  test.skipIf(skip)("the last day's numbers: calls by hour and end reason, timings, the tools each call used", async () => {
    await using store = disposable(await seeded((await url())!));
    store.callStarted({ callSid: 'CA6', startedAt: 11 * HOUR + 9 });
    store.event('CA2', 'tool', { name: 'weather', arguments: '{}', result: 'sunny' });
    store.event('CA2', 'turn', { role: 'agent', text: 'Hi' });
    store.event('CA2', 'tool', { name: 'transfer_call', arguments: '{}', result: 'ok' });
    store.callTimings('CA1', { firstAudioMs: 900, connectMs: 300, prewarmed: true, waitedMs: 0, replyMs: [700, 1200] });
    store.callTimings('CA3', { prewarmed: false, replyMs: [] });
    store.callTimings('CA9', { prewarmed: false, replyMs: [] }); // no such call: nothing to update
    await store.flush();

    const byHour = await store.callsByHour(10 * HOUR + 1);
    const sorted = byHour.map((r) => [r.hour, r.endReason ?? 'live', r.calls]).sort((a, b) => String(a).localeCompare(String(b)));
    expect(sorted).toEqual([
      [10, 'transferred', 1],
      [11, 'caller_hangup', 1],
      [11, 'idle', 1],
      [11, 'live', 1],
      [11, 'upstream_failed', 1],
    ]);
    expect(await store.timingsSince(11 * HOUR)).toEqual([{ prewarmed: false, replyMs: [] }]);
    expect((await store.timingsSince(0)).map((t) => t.firstAudioMs ?? null).sort()).toEqual([900, null]);
    expect((await store.getCall('CA1'))?.call.timings).toEqual({ firstAudioMs: 900, connectMs: 300, prewarmed: true, waitedMs: 0, replyMs: [700, 1200] });
    expect([...(await store.toolsUsed(['CA1', 'CA2']))]).toEqual([['CA2', ['weather', 'transfer_call']]]);
    expect((await store.toolsUsed([])).size).toBe(0);
  });
});

/** `await using` for a store: closed at the end of the test, whatever happens. */
function disposable(store: CallStore): CallStore & AsyncDisposable {
  return Object.assign(store, { [Symbol.asyncDispose]: () => store.close() });
}
