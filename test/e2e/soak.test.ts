// Many short calls leave nothing behind: no upstream sessions, no call state, no memory growth.
import { expect, test } from 'bun:test';
import { eventually, pattern, startHarness } from '../harness.ts';

async function shortCalls(h: Awaited<ReturnType<typeof startHarness>>, n: number, batch = 10) {
  for (let i = 0; i < n; i += batch) {
    await Promise.all(
      Array.from({ length: Math.min(batch, n - i) }, async () => {
        const call = await h.twilio.call();
        await eventually(() => h.logs.some((l) => l.includes('upstream ready') && l.includes(call.callSid)), 3000, 'ready');
        await call.sendAudio(pattern(320));
        await call.hangup();
      }),
    );
  }
  await eventually(() => h.switchboard.calls.size === 0 && h.realtime.openCount === 0, 5000, 'all calls closed');
}

/** The fakes and the harness record everything; that is the test's memory, not the server's. */
function forgetTestSide(h: Awaited<ReturnType<typeof startHarness>>) {
  h.logs.length = 0;
  h.realtime.sessions.length = 0;
  h.twilio.calls.length = 0;
}

test('100 short calls leave zero upstream sessions and no memory growth', async () => {
  await using h = await startHarness();
  h.logs.length = 0;
  await shortCalls(h, 50); // warm-up: JIT, caches, pools
  forgetTestSide(h);
  Bun.gc(true);
  const before = process.memoryUsage().heapUsed;

  await shortCalls(h, 100);
  expect(h.realtime.openCount).toBe(0);
  expect(h.switchboard.calls.size).toBe(0);
  expect(h.switchboard.context.tokens.pending).toBe(0);
  expect(h.realtime.sessions.length).toBe(100);
  expect(h.realtime.sessions.every((s) => !s.isOpen)).toBe(true);

  forgetTestSide(h);
  Bun.gc(true);
  // Leaking even 10 KB a call would show as 1 MB (what remains: bounded maps of recent endings and tokens).
  const growthBytes = process.memoryUsage().heapUsed - before;
  expect(growthBytes).toBeLessThan(1024 * 1024);
});
