// The optional targets: which flags add them, and that the no-store one really runs without a store.
import { expect, test } from 'bun:test';
import { resolve } from 'node:path';
import { loadConfig } from '../src/config/load.ts';
import { ROOT, TARGETS, targetOrder } from './targets.ts';

test('switchboard, baseline and floor always run; BENCH_SDK and BENCH_NOSTORE add their targets', () => {
  expect(targetOrder({})).toEqual(['switchboard', 'baseline', 'floor']);
  expect(targetOrder({ BENCH_SDK: '1', BENCH_NOSTORE: '1' })).toEqual(['switchboard', 'switchboard-sdk', 'switchboard-nostore', 'baseline', 'floor']);
  expect(targetOrder({ BENCH_SDK: '0', BENCH_NOSTORE: 'yes' })).toEqual(['switchboard', 'baseline', 'floor']);
});

test("the bench config keeps the default store, and the no-store target's environment turns it off", async () => {
  const file = resolve(ROOT, 'bench/agents.yaml');
  const shipped = await loadConfig(file, { ...TARGETS.switchboard.env });
  expect(shipped.config.storage.url).toBe('sqlite://./data/switchboard.db');
  const bare = await loadConfig(file, { ...TARGETS['switchboard-nostore'].env });
  expect(bare.config.storage.url).toBe('off');
});
