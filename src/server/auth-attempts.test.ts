import { expect, test } from 'bun:test';
import { Logger } from '../log/logger.ts';
import { AuthAttempts, FAILURE_WINDOW_MS, MAX_FAILURES_PER_WINDOW } from './auth-attempts.ts';

function attempts(limits: ConstructorParameters<typeof AuthAttempts>[2] = {}) {
  const lines: string[] = [];
  const clock = { now: 1_000_000 };
  const counter = new AuthAttempts(new Logger('debug', {}, (line) => lines.push(line), 'json'), () => clock.now, limits);
  return { counter, lines, clock };
}

test('a client gets its failures, then waits out the window, right token or not; another client is never held up', () => {
  const { counter, clock } = attempts();
  for (let i = 0; i < MAX_FAILURES_PER_WINDOW; i++) expect(counter.attempt('203.0.113.7', 'admin', false)).toEqual({ outcome: 'wrong' });
  expect(counter.attempt('203.0.113.7', 'admin', false)).toEqual({ outcome: 'limited', retryAfterS: 60 });
  expect(counter.attempt('203.0.113.7', 'console', true)).toEqual({ outcome: 'limited', retryAfterS: 60 });
  expect(counter.attempt('198.51.100.9', 'admin', true)).toEqual({ outcome: 'ok' });
  expect(counter.attempt('198.51.100.9', 'console', false)).toEqual({ outcome: 'wrong' });
  clock.now += 45_000;
  expect(counter.attempt('203.0.113.7', 'admin', true)).toEqual({ outcome: 'limited', retryAfterS: 15 });
  // A sliding window: the first failure leaving it frees one attempt, not ten.
  clock.now += 15_000;
  expect(counter.attempt('203.0.113.7', 'admin', true)).toEqual({ outcome: 'ok' });
  expect(counter.failures).toEqual({ admin: MAX_FAILURES_PER_WINDOW, console: 1 });
  expect(counter.refused).toEqual({ admin: 2, console: 1 });
});

test('failures spread over time slide out of the window one by one', () => {
  const { counter, clock } = attempts({ maxFailures: 3 });
  for (let i = 0; i < 3; i++) {
    counter.attempt('c', 'admin', false);
    clock.now += 20_000;
  }
  // Failures at 0 s, 20 s and 40 s; now 60 s: the first has just left.
  expect(counter.attempt('c', 'admin', false)).toEqual({ outcome: 'wrong' });
  expect(counter.attempt('c', 'admin', false)).toEqual({ outcome: 'limited', retryAfterS: 20 });
});

test('memory is bounded: rotating clients forgets the least recent, the expired go first', () => {
  const { counter, clock } = attempts({ maxClients: 100 });
  for (let i = 0; i < 10_000; i++) counter.attempt(`10.0.${i >> 8}.${i & 0xff}`, 'admin', false);
  expect(counter.clients).toBe(100);
  clock.now += FAILURE_WINDOW_MS + 1;
  counter.attempt('one more', 'admin', false);
  expect(counter.clients).toBe(1);
});

test('the log: the first failure per client per window, the one that reaches the limit, and a cap across clients', () => {
  const { counter, lines, clock } = attempts({ maxLogLines: 5 });
  for (let i = 0; i < 100; i++) counter.attempt('203.0.113.7', 'admin', false);
  expect(lines.map((l) => JSON.parse(l))).toMatchObject([
    { level: 'warn', msg: 'wrong admin token', client: '203.0.113.7', endpoint: 'admin' },
    { level: 'warn', msg: 'wrong admin tokens: client refused for a while', client: '203.0.113.7', failures: 10, notLogged: 8 },
  ]);
  // A flood from many clients: a few lines, then one saying the rest is only counted.
  lines.length = 0;
  clock.now += FAILURE_WINDOW_MS;
  for (let i = 0; i < 1000; i++) counter.attempt(`198.51.100.${i % 250}`, 'console', false);
  expect(lines.length).toBe(6);
  expect(lines.at(-1)).toContain('only counted in /metrics');
  expect(counter.failures.console).toBe(1000);
  // The next window logs again, with what went unlogged.
  lines.length = 0;
  clock.now += FAILURE_WINDOW_MS;
  counter.attempt('198.51.100.7', 'console', false);
  expect(JSON.parse(lines[0]!)).toMatchObject({ msg: 'wrong admin token', client: '198.51.100.7', notLogged: 4 });
});
