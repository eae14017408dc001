import { expect, test } from 'bun:test';
import { Logger } from '../log/logger.ts';
import { historyPage, historyQuery, PAGE_SIZE, type HistoryQuery } from './history.ts';
import { CallStore } from './store.ts';

const query = (params: string) => historyQuery(new URLSearchParams(params)) as HistoryQuery;

test('a page is full (there may be more: `next` is its last call) or the last one (`next` is null)', async () => {
  const store = await CallStore.open('sqlite://:memory:', new Logger('error'), { flushEveryMs: 60_000 });
  try {
    // Four calls in one millisecond and one before it: only the CallSid tells the first four apart.
    for (const [callSid, startedAt] of [['CA1', 999], ['CA2', 1000], ['CA3', 1000], ['CA4', 1000], ['CA5', 1000]] as const) store.callStarted({ callSid, startedAt });
    await store.flush();
    for (const limit of [1, 2, 3]) {
      const seen: string[] = [];
      let params = `limit=${limit}`;
      for (let pages = 0; pages < 10; pages++) {
        const { rows, next } = await historyPage(store, query(params));
        seen.push(...rows.map((r) => r.callSid));
        expect(next).toEqual(rows.length === limit ? { before: rows.at(-1)!.startedAt, beforeSid: rows.at(-1)!.callSid } : null);
        if (next === null) break;
        params = `limit=${limit}&before=${next.before}&beforeSid=${next.beforeSid}`;
      }
      expect(seen).toEqual(['CA5', 'CA4', 'CA3', 'CA2', 'CA1']);
    }
    // A cursor without its CallSid starts strictly before that millisecond.
    expect((await historyPage(store, query('before=1000'))).rows.map((r) => r.callSid)).toEqual(['CA1']);
    expect(query('')).toEqual({ limit: PAGE_SIZE });
  } finally {
    await store.close();
  }
});
