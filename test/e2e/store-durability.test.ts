// What survives: `kill -9` mid-call leaves what was said so far readable; a database that stops
// mid-call never ends the call, and what was queued is written when it is back.
import { expect, test } from 'bun:test';
import { join } from 'node:path';
import { MAIN, scratchDir } from '../cli.ts';
import { startFakeRealtime } from '../fakes/realtime-server.ts';
import { FakeTwilio } from '../fakes/twilio-caller.ts';
import { callStarted, eventually, liveCall, pattern, SHIPPED_YAML, startHarness } from '../harness.ts';
import { freshPostgres, POSTGRES_URL } from '../postgres.ts';
import { Logger } from '../../src/log/logger.ts';
import { CallStore } from '../../src/store/store.ts';

async function poll<T>(read: () => Promise<T>, done: (value: T) => boolean, what: string, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await Bun.sleep(50);
  }
}

test('kill -9 mid-call: the turns written before it are readable', async () => {
  await using realtime = await startFakeRealtime();
  const dir = scratchDir();
  const db = join(dir, 'calls.db');
  const port = 20000 + Math.floor(Math.random() * 20000);
  await Bun.write(join(dir, 'agents.yaml'), `storage: { url: "sqlite://${db}" }\n${SHIPPED_YAML}`);
  const env = { PATH: process.env.PATH ?? '', OPENAI_API_KEY: 'sk-x', OPENAI_REALTIME_URL: realtime.url, PUBLIC_URL: 'https://k.example', TWILIO_AUTH_TOKEN: 'tok', PORT: String(port), HOST: '127.0.0.1', LOG_FORMAT: 'text' };
  const proc = Bun.spawn([process.execPath, MAIN, 'serve'], { cwd: dir, env, stdout: 'ignore', stderr: 'ignore' });
  try {
    const origin = `http://127.0.0.1:${port}`;
    await poll(() => fetch(`${origin}/healthz`).then((r) => r.ok, () => false), Boolean, 'the server');
    const twilio = new FakeTwilio({ serverUrl: origin, publicUrl: 'https://k.example', authToken: 'tok' });
    const call = await twilio.call();
    // Skip the preflight's own session; the call's is the one that gets configured.
    let upstream = await realtime.nextSession();
    while (!(await upstream.waitFor('session.update').then(() => true, () => false))) upstream = await realtime.nextSession();
    await Bun.sleep(100);
    await upstream.speak(pattern(160, 1), { transcript: 'Before the crash.' });
    const store = await CallStore.open(`sqlite://${db}`, new Logger('error'));
    await poll(() => store.getCall(call.callSid), (found) => (found?.events.length ?? 0) >= 1, 'the turn in the store');
    proc.kill('SIGKILL');
    await proc.exited;
    const found = await store.getCall(call.callSid);
    expect(found?.call.endedAt).toBeUndefined();
    expect(found?.events.map((e) => e.data.text)).toEqual(['Before the crash.']);
    await store.close();
  } finally {
    proc.kill('SIGKILL');
  }
});

test.skipIf(!POSTGRES_URL)('a database that stops mid-call: the call goes on, the records wait and are written when it is back', async () => {
  const target = new URL((await freshPostgres())!);
  // A TCP relay in front of PostgreSQL that the test can cut, as a network outage would.
  let open = true;
  const sockets = new Set<{ end(): void }>();
  type Relayed = { peer?: Awaited<ReturnType<typeof Bun.connect>>; pending: Uint8Array[] };
  const relay = Bun.listen<Relayed>({
    hostname: '127.0.0.1',
    port: 0,
    socket: {
      async open(client) {
        client.data = { pending: [] };
        if (!open) return void client.end();
        sockets.add(client);
        const peer = await Bun.connect({ hostname: target.hostname, port: Number(target.port), socket: { data: (_, d) => void client.write(d), close: () => void client.end() } });
        sockets.add(peer);
        client.data.peer = peer;
        for (const chunk of client.data.pending) peer.write(chunk);
      },
      data: (client, d) => {
        if (client.data.peer) client.data.peer.write(d);
        else client.data.pending.push(new Uint8Array(d));
      },
      close: (client) => void client.data?.peer?.end(),
    },
  });
  const url = `postgres://postgres@127.0.0.1:${relay.port}/postgres`;
  await using h = await startHarness({ store: url });
  const store = h.switchboard.context.store!;
  const { call, upstream } = await liveCall(h);
  await callStarted(h, call.callSid);

  open = false;
  for (const socket of sockets) socket.end();
  await upstream.speak(pattern(160, 2), { transcript: 'Said while the database was down.' });
  await eventually(() => h.logs.some((l) => l.includes('call store unavailable')), 5000, 'the outage noticed');
  expect(store.backlog).toBeGreaterThan(0);
  const readyz = await fetch(`${h.switchboard.url.origin}/readyz`);
  expect(`${readyz.status} ${await readyz.text()}`).toBe('503 not ready: the call store is unreachable (calls still work; records wait in memory)\n');
  // The call is unharmed.
  await call.sendAudio(pattern(160, 3));
  await eventually(() => upstream.audio().length >= 160, 2000, 'audio during the outage');
  expect(call.isOpen).toBe(true);

  open = true;
  await eventually(() => h.logs.some((l) => l.includes('call store reachable again')), 8000, 'the store back');
  const found = await store.getCall(call.callSid);
  expect(found?.events.map((e) => e.data.text)).toContain('Said while the database was down.');
  await call.hangup();
  relay.stop(true);
});
