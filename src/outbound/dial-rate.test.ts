import { expect, test } from 'bun:test';
import { Logger } from '../log/logger.ts';
import { DAY_MS, dialWindows, DialRate, MINUTE_MS, type DialCountStore } from './dial-rate.ts';

const LIMITS = { max_per_minute: 2, max_per_day: 3 };
const T0 = Date.UTC(2026, 2, 1, 12, 0, 10);

function rate(store?: DialCountStore) {
  const clock = { now: T0 };
  const logs: string[] = [];
  const dialRate = new DialRate({ store, log: new Logger('debug', {}, (line) => logs.push(line)), now: () => clock.now, timeoutMs: 50 });
  return { dialRate, clock, logs };
}

test('windows: the clock minute and the UTC day', () => {
  const { minute, day } = dialWindows(T0);
  expect(minute).toEqual({ key: `minute:${Math.floor(T0 / MINUTE_MS)}`, endsAt: Date.UTC(2026, 2, 1, 12, 1) });
  expect(day).toEqual({ key: `day:${Math.floor(T0 / DAY_MS)}`, endsAt: Date.UTC(2026, 2, 2) });
});

test('in memory: the minute cap, then the day cap, each until its window turns', async () => {
  const { dialRate, clock } = rate();
  expect(await dialRate.take(LIMITS)).toBeUndefined();
  expect(await dialRate.take(LIMITS)).toBeUndefined();
  expect(await dialRate.take(LIMITS)).toEqual({
    reason: 'rate_minute',
    retryAfterSeconds: 50,
    message: 'refused: 2 calls placed this minute already (outbound.max_per_minute); try again in 50 s',
  });
  clock.now += 50_000;
  expect(await dialRate.take(LIMITS)).toBeUndefined();
  // Refused by the minute, it was not counted against the day: this is the day's 4th call.
  const day = await dialRate.take(LIMITS);
  expect(day?.reason).toBe('rate_day');
  expect(day?.retryAfterSeconds).toBe((Date.UTC(2026, 2, 2) - clock.now) / 1000);
  expect(day?.message).toBe('refused: 3 calls placed today already (outbound.max_per_day, days in UTC); try again after 00:00 UTC');
  clock.now = Date.UTC(2026, 2, 2, 0, 0, 1);
  expect(await dialRate.take(LIMITS)).toBeUndefined();
});

test('with a store: counted there, by window; a store that fails or hangs is replaced by memory, and said once', async () => {
  const counts = new Map<string, number>();
  let mode: 'ok' | 'fail' = 'ok';
  const store: DialCountStore = {
    countDial: (key) => {
      if (mode === 'fail') return Promise.reject(new Error('connection refused'));
      counts.set(key, (counts.get(key) ?? 0) + 1);
      return Promise.resolve(counts.get(key)!);
    },
  };
  const { dialRate, logs } = rate(store);
  expect(await dialRate.take(LIMITS)).toBeUndefined();
  expect([...counts.values()]).toEqual([1, 1]);
  // Another instance counted one more this minute: the cap is shared.
  counts.set(dialWindows(T0).minute.key, 2);
  expect((await dialRate.take(LIMITS))?.reason).toBe('rate_minute');

  mode = 'fail';
  expect(await dialRate.take({ max_per_minute: 1, max_per_day: 10 })).toBeUndefined();
  expect((await dialRate.take({ max_per_minute: 1, max_per_day: 10 }))?.reason).toBe('rate_minute');
  expect(logs.filter((l) => l.includes('outbound calls are counted in memory'))).toHaveLength(1);
  mode = 'ok';
  expect((await dialRate.take(LIMITS))?.reason).toBe('rate_minute');
  expect(logs.some((l) => l.includes('outbound calls counted in the call store again'))).toBe(true);
});

test('a store that does not answer is given up after its timeout', async () => {
  const { dialRate, logs } = rate({ countDial: () => new Promise(() => {}) });
  expect(await dialRate.take(LIMITS)).toBeUndefined();
  expect(logs.some((l) => l.includes('no answer within 50 ms'))).toBe(true);
});
