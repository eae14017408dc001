import { expect, test } from 'bun:test';
import { MAX_PLACED_CALLS, PLACED_CALL_TTL_MS, PlacedCalls } from './placed-calls.ts';

test('a reserved line becomes the call; answered or ended, it is free', () => {
  const placed = new PlacedCalls();
  const a = placed.reserve()!;
  const b = placed.reserve()!;
  expect(placed.size).toBe(2);
  placed.placed(a, 'CA1');
  expect(placed.size).toBe(2);
  expect(placed.release(b)).toBe(true);
  expect(placed.release('CA1')).toBe(true);
  expect(placed.release('CA1')).toBe(false);
  expect(placed.size).toBe(0);
});

test('without a callback a call stops counting after its time; each callback starts it again; unknown calls are not added', () => {
  const clock = { now: 1_000_000 };
  const placed = new PlacedCalls({ now: () => clock.now });
  placed.placed(placed.reserve()!, 'CA1');
  placed.placed(placed.reserve()!, 'CA2');
  clock.now += PLACED_CALL_TTL_MS - 1;
  expect(placed.touch('CA2')).toBe(true);
  expect(placed.touch('CA9')).toBe(false);
  expect(placed.size).toBe(2);
  clock.now += 1;
  expect(placed.size).toBe(1);
  clock.now += PLACED_CALL_TTL_MS;
  expect(placed.size).toBe(0);
});

test('bounded', () => {
  const placed = new PlacedCalls();
  for (let i = 0; i < MAX_PLACED_CALLS; i++) expect(placed.reserve()).toBeDefined();
  expect(placed.reserve()).toBeUndefined();
});
