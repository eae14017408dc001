// The store against both engines it supports: SQLite always, PostgreSQL when TEST_POSTGRES_URL is set.
import { describe, expect, test } from 'bun:test';
import { Database } from 'bun:sqlite';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Logger } from '../log/logger.ts';
import { freshPostgres, POSTGRES_URL } from '../../test/postgres.ts';
import { CallStore } from './store.ts';

const quiet = new Logger('error');
const engines: [string, () => Promise<string | undefined>][] = [
  ['sqlite', async () => 'sqlite://:memory:'],
  ['postgres', freshPostgres],
];

describe.each(engines)('CallStore on %s', (engine, url) => {
  const skip = engine === 'postgres' && !POSTGRES_URL;

  test.skipIf(skip)('migrates once, records a call as it goes, and reads it back in order', async () => {
    const store = await CallStore.open((await url())!, quiet, { flushEveryMs: 60_000 });
    expect(await store.migrate()).toBe(0);
    store.callStarted({ callSid: 'CA1', streamSid: 'MZ1', direction: 'inbound', from: '+15550001111', to: '+15550002222', agent: 'desk', startedAt: 1000, answeredAt: 1000 });
    store.event('CA1', 'turn', { role: 'caller', text: 'Hi' }, 1500);
    store.event('CA1', 'tool', { name: 'weather', arguments: '{"location":"Oslo"}', result: 'sunny' }, 1600);
    await store.flush();
    expect(store.backlog).toBe(0);
    store.event('CA1', 'turn', { role: 'agent', agent: 'desk', text: 'Hello' }, 1700);
    store.callEnded('CA1', 2000, 'caller_hangup', ['desk']);
    await store.flush();

    const found = await store.getCall('CA1');
    expect(found?.call).toMatchObject({ callSid: 'CA1', from: '+15550001111', agent: 'desk', agents: ['desk'], startedAt: 1000, endedAt: 2000, endReason: 'caller_hangup' });
    expect(found?.events.map((e) => [e.seq, e.kind, e.data.text ?? e.data.name])).toEqual([
      [1, 'turn', 'Hi'],
      [2, 'tool', 'weather'],
      [3, 'turn', 'Hello'],
    ]);
    await store.close();
  });

  test.skipIf(skip)('lists newest first, pages by start time, and purges old calls', async () => {
    const store = await CallStore.open((await url())!, quiet, { flushEveryMs: 60_000 });
    for (const [sid, at] of [['CAa', 1000], ['CAb', 2000], ['CAc', 3000]] as const) store.callStarted({ callSid: sid, startedAt: at });
    await store.flush();
    expect((await store.listCalls({ limit: 2 })).map((c) => c.callSid)).toEqual(['CAc', 'CAb']);
    expect((await store.listCalls({ limit: 2, before: 2000 })).map((c) => c.callSid)).toEqual(['CAa']);
    expect(await store.purge(1, 2500 + 86_400_000)).toBe(2);
    expect((await store.listCalls()).map((c) => c.callSid)).toEqual(['CAc']);
    await store.close();
  });

  test.skipIf(skip)('a stream token is spent once, whoever asks', async () => {
    const store = await CallStore.open((await url())!, quiet);
    expect(await store.spendToken('tok', Date.now() + 60_000)).toBe(true);
    expect(await store.spendToken('tok', Date.now() + 60_000)).toBe(false);
    await store.close();
  });
});

test('a store that cannot be opened is one line without the password', async () => {
  const opening = CallStore.open('postgres://user:hunter2@127.0.0.1:9/db', quiet);
  await expect(opening).rejects.toThrow('cannot open the call store at postgres://…@127.0.0.1:9/db');
  await opening.catch((error: Error) => expect(error.message).not.toContain('hunter2'));
});

test('an SQLite file store keeps a write-ahead log, so a reader gets the calls while the server writes', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'store-wal-'));
  const path = join(dir, 'calls.db');
  const store = await CallStore.open(`sqlite://${path}`, quiet);
  try {
    store.callStarted({ callSid: 'CA1', direction: 'inbound', from: '+15550001111', to: '+15550002222', agents: ['greeter'], startedAt: 1 });
    await store.flush();
    // Another process (`switchboard calls`) opens the same file.
    const reader = new Database(path, { readonly: true });
    expect(reader.query('PRAGMA journal_mode').get()).toEqual({ journal_mode: 'wal' });
    expect(reader.query('SELECT call_sid FROM calls').all()).toEqual([{ call_sid: 'CA1' }]);
    reader.close();
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

describe.each(engines)('outbound dial counts on %s', (engine, url) => {
  test.skipIf(engine === 'postgres' && !POSTGRES_URL)('counted per window, atomically; expired windows are purged', async () => {
    const store = await CallStore.open((await url())!, quiet, { flushEveryMs: 60_000 });
    // Counted at once, as instances do: each gets its own number, none is lost.
    const counts = await Promise.all(Array.from({ length: 5 }, () => store.countDial('minute:1', 60_000)));
    expect(counts.toSorted()).toEqual([1, 2, 3, 4, 5]);
    expect(await store.countDial('day:0', 86_400_000)).toBe(1);
    await store.purge(1, 60_000 + 1);
    expect(await store.countDial('minute:1', 60_000)).toBe(1);
    expect(await store.countDial('day:0', 86_400_000)).toBe(2);
    await store.close();
  });
});
