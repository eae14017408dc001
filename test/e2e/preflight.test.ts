// serve's preflight as a process: a refused key is one warning that names it, the server keeps
// running, and /readyz says why it is not ready.
import { expect, test } from 'bun:test';
import { join } from 'node:path';
import { ROOT, runServe, scratchDir } from '../cli.ts';
import { startFakeRealtime } from '../fakes/realtime-server.ts';

test('a refused key: serve warns once, keeps running, and /readyz is 503 with the reason', async () => {
  await using realtime = await startFakeRealtime({ apiKey: 'sk-the-right-one' });
  const env = { OPENAI_API_KEY: 'sk-wrong-one', OPENAI_REALTIME_URL: realtime.url, HOST: '127.0.0.1' };
  let readyz = '';
  const r = await runServe(
    ['--insecure', '--port', '0', '--config', join(ROOT, 'agents.yaml')],
    env,
    scratchDir(),
    (out) => out.includes('preflight:'),
    async (url) => {
      const answer = await fetch(`${url}readyz`);
      readyz = `${answer.status} ${await answer.text()}`;
    },
  );
  expect(r.code).toBe(0);
  expect(r.stderr).toContain(
    'WARN  preflight: the Realtime API refused the API key (401): check OPENAI_API_KEY (it needs Realtime access); calls will hear the fallback until this is fixed',
  );
  expect(readyz).toBe('503 not ready: the Realtime API refused the API key (401): check OPENAI_API_KEY (it needs Realtime access)\n');
  expect(r.stdout + r.stderr).not.toContain('sk-wrong-one');
});

test('an accepted key: one info line with the handshake time', async () => {
  await using realtime = await startFakeRealtime();
  const env = { OPENAI_API_KEY: 'sk-x', OPENAI_REALTIME_URL: realtime.url, HOST: '127.0.0.1' };
  const r = await runServe(['--insecure', '--port', '0', '--config', join(ROOT, 'agents.yaml')], env, scratchDir(), (out) => out.includes('preflight:'));
  expect(r.stdout).toMatch(/INFO {2}preflight: the Realtime API accepted the key ms=\d+/);
});
