import { describe, expect, test } from 'bun:test';
import type { Upstream } from '../call/upstream.ts';
import { Prewarm } from './prewarm.ts';

const facts = (sid: string) => ({ sid, from: '', to: '', direction: 'inbound', params: {} });

/** Stand-ins that only know whether they were closed: Prewarm needs nothing else of an Upstream. */
function opener() {
  const opened: { agentId: string; closed: boolean; dropped: boolean }[] = [];
  const open = (agentId: string) => {
    const fake = { agentId, closed: false, dropped: false, close() { fake.closed = true; } };
    opened.push(fake);
    return fake as unknown as Upstream;
  };
  return { opened, open };
}

describe('Prewarm', () => {
  test('a stream takes its call’s session once; another agent gets none (and it is closed)', () => {
    const { opened, open } = opener();
    const prewarm = new Prewarm(open, () => 10);
    prewarm.start('CA1', 'greeter', facts('CA1'));
    prewarm.start('CA1', 'greeter', facts('CA1')); // a retried webhook does not open a second one
    expect(opened).toHaveLength(1);
    expect(prewarm.take('CA1', 'greeter')).toBe(opened[0] as unknown as Upstream);
    expect(prewarm.take('CA1', 'greeter')).toBeUndefined();

    prewarm.start('CA2', 'greeter', facts('CA2'));
    expect(prewarm.take('CA2', 'sales')).toBeUndefined();
    expect(opened[1]!.closed).toBe(true);
    expect(prewarm.size).toBe(0);
  });

  test('a session that dropped is not handed out: the stream gets a fresh attempt', () => {
    const { opened, open } = opener();
    const prewarm = new Prewarm(open, () => 10);
    prewarm.start('CA1', 'a', facts('CA1'));
    opened[0]!.dropped = true;
    expect(prewarm.take('CA1', 'a')).toBeUndefined();
    expect(opened[0]!.closed).toBe(true);
  });

  test('release closes a session whose call is over before its stream came', () => {
    const { opened, open } = opener();
    const prewarm = new Prewarm(open, () => 10);
    prewarm.start('CA1', 'a', facts('CA1'));
    expect(prewarm.release('CA1')).toBe(true);
    expect(opened[0]!.closed).toBe(true);
    expect(prewarm.size).toBe(0);
    expect(prewarm.release('CA1')).toBe(false);
  });

  test('bounded in number', () => {
    const { opened, open } = opener();
    const prewarm = new Prewarm(open, () => 2);
    for (const sid of ['CA1', 'CA2', 'CA3']) prewarm.start(sid, 'a', facts(sid));
    expect(opened).toHaveLength(2);
    expect(prewarm.size).toBe(2);
    prewarm.closeAll();
    expect(opened.every((u) => u.closed)).toBe(true);
    expect(prewarm.size).toBe(0);
  });

  test('a session no stream came for is closed after the TTL', async () => {
    const { opened, open } = opener();
    const prewarm = new Prewarm(open, () => 10, 20);
    prewarm.start('CA1', 'a', facts('CA1'));
    await Bun.sleep(40);
    expect(opened[0]!.closed).toBe(true);
    expect(prewarm.take('CA1', 'a')).toBeUndefined();
  });
});
