// One real call through a switchboard *process* (source or compiled binary), started the way a
// user starts it: configuration from a .env file in its working directory, nothing else.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startFakeRealtime } from './fakes/realtime-server.ts';
import { FakeTwilio } from './fakes/twilio-caller.ts';
import { pattern } from './harness.ts';

const TOKEN = 'smoke-auth-token';
const ADMIN = 'smoke-admin-token-0123456789abcdef';
const PUBLIC_URL = 'https://smoke.example.com';
const AGENTS_YAML = join(import.meta.dir, '..', 'agents.yaml');

export interface SmokeResult {
  /** ms from spawn to the first 200 on `/`. */
  coldStartMs: number;
  exitCode: number | null;
}

async function until(check: () => Promise<boolean>, deadline: number, what: string): Promise<void> {
  while (Date.now() < deadline) {
    if (await check().catch(() => false)) return;
    await Bun.sleep(5);
  }
  throw new Error(`timed out waiting for ${what}`);
}

export async function smoke(command: string[]): Promise<SmokeResult> {
  await using realtime = await startFakeRealtime();
  const port = 20000 + Math.floor(Math.random() * 20000);
  const cwd = mkdtempSync(join(tmpdir(), 'sb-smoke-'));
  writeFileSync(
    join(cwd, '.env'),
    `OPENAI_API_KEY=sk-smoke\nOPENAI_REALTIME_URL=${realtime.url}\nPUBLIC_URL=${PUBLIC_URL}\nTWILIO_AUTH_TOKEN=${TOKEN}\nPORT=${port}\nHOST=127.0.0.1\nADMIN_TOKEN=${ADMIN}\n`,
  );
  const started = performance.now();
  const proc = Bun.spawn([...command, 'serve', '--config', AGENTS_YAML], {
    cwd,
    env: { PATH: process.env.PATH ?? '' },
    stdout: 'pipe',
    stderr: 'pipe',
  });
  try {
    const origin = `http://127.0.0.1:${port}`;
    await until(async () => (await fetch(`${origin}/`)).ok, Date.now() + 10_000, `a 200 from ${origin}/`);
    const coldStartMs = performance.now() - started;
    const status = (await (await fetch(`${origin}/`)).json()) as { agents: string[] };
    if (status.agents[0] !== 'greeter') throw new Error(`unexpected status ${JSON.stringify(status)}`);

    const twilio = new FakeTwilio({ serverUrl: origin, publicUrl: PUBLIC_URL, authToken: TOKEN });
    const call = await twilio.call();
    // The server's preflight opened (and closed) a session of its own first: skip such ones.
    let upstream = await realtime.nextSession();
    let update = await upstream.waitFor('session.update').catch(() => undefined);
    while (update === undefined) {
      upstream = await realtime.nextSession();
      update = await upstream.waitFor('session.update').catch(() => undefined);
    }
    if (update.session?.audio?.output?.voice !== 'verse') throw new Error('session.update lacks the voice');
    // The shipped agents.yaml names a model that is still served (see src/config/retired-models.ts).
    if (upstream.model !== 'gpt-realtime-2.1') throw new Error(`the call asked for model ${upstream.model}, not gpt-realtime-2.1`);
    // The session was pre-warmed at the webhook; the model speaks once the stream is the server's.
    await until(async () => {
      const calls = (await (await fetch(`${origin}/calls`, { headers: { authorization: `Bearer ${ADMIN}` } })).json()) as { callSid: string }[];
      return calls.some((c) => c.callSid === call.callSid);
    }, Date.now() + 5000, 'the call in GET /calls');
    await upstream.speak(pattern(1600, 1));
    await call.waitForAudioBytes(1600);
    await call.sendStop();
    await upstream.closed;

    proc.kill('SIGTERM');
    return { coldStartMs, exitCode: await proc.exited };
  } catch (error) {
    proc.kill('SIGKILL');
    const [out, err] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text()]);
    throw new Error(`${(error as Error).message}\n--- stdout\n${out}\n--- stderr\n${err}`);
  }
}

if (import.meta.main) {
  // bun test/smoke.ts dist/switchboard
  const [program, ...args] = Bun.argv.slice(2);
  if (!program) throw new Error('usage: bun test/smoke.ts COMMAND...');
  // The process starts in a scratch directory, so a relative program path is resolved here.
  const command = [program.includes('/') ? resolve(program) : program, ...args];
  const result = await smoke(command);
  console.log(`smoke: one call through ${command.join(' ')} ok; cold start ${result.coldStartMs.toFixed(0)} ms; exit ${result.exitCode}`);
  process.exit(result.exitCode === 0 ? 0 : 1);
}
