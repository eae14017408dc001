// The console as the compiled binary serves it: the page and its bundled assets come from inside
// the binary (run from an empty directory, nothing to read beside it), with the console's headers
// (the binary's bundle is read another way than the source's: page-bundle.ts), and a login works.
// `bun test/console-binary.ts dist/switchboard` (.ci/run does, after the build).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ADMIN = 'binary-admin-token-0123456789abcdef';
const AGENTS_YAML = join(import.meta.dir, '..', 'agents.yaml');

async function until<T>(get: () => Promise<T>, deadline: number, what: string): Promise<T> {
  for (;;) {
    try {
      return await get();
    } catch (error) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${(error as Error).message}`);
      await Bun.sleep(20);
    }
  }
}

async function check(binary: string): Promise<string> {
  const port = 20000 + Math.floor(Math.random() * 20000);
  const proc = Bun.spawn([binary, 'serve', '--insecure', '--config', AGENTS_YAML], {
    cwd: mkdtempSync(join(tmpdir(), 'sb-console-')),
    // The Realtime URL is never dialled: no call is made.
    env: { PATH: process.env.PATH ?? '', OPENAI_API_KEY: 'sk-unused', ADMIN_TOKEN: ADMIN, PORT: String(port), HOST: '127.0.0.1', OPENAI_REALTIME_URL: 'ws://127.0.0.1:9/v1/realtime' },
    stdout: 'ignore',
    stderr: 'ignore',
  });
  try {
    const origin = `http://127.0.0.1:${port}`;
    const html = await until(async () => {
      const r = await fetch(`${origin}/console`);
      if (r.status !== 200) throw new Error(`GET /console answered ${r.status}`);
      if (r.headers.get('x-frame-options') !== 'DENY' || !r.headers.get('content-security-policy')?.includes("frame-ancestors 'none'")) {
        throw new Error('GET /console came without the console\'s headers (X-Frame-Options, Content-Security-Policy)');
      }
      return r.text();
    }, Date.now() + 10_000, 'GET /console');
    const assets = [...html.matchAll(/(?:src|href)="(\/[^"]+)"/g)].map((m) => m[1]!);
    if (!assets.some((a) => a.endsWith('.js')) || !assets.some((a) => a.endsWith('.css'))) throw new Error(`the page names no bundled script and style: ${assets.join(', ')}`);
    for (const asset of assets) {
      const r = await fetch(`${origin}${asset}`);
      if (r.status !== 200 || (await r.text()).length === 0) throw new Error(`${asset} answered ${r.status}`);
      if (r.headers.get('x-content-type-options') !== 'nosniff') throw new Error(`${asset} came without X-Content-Type-Options: nosniff`);
    }
    // As the page sends it: from its own origin.
    const login = await fetch(`${origin}/console/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin },
      body: new URLSearchParams({ token: ADMIN }),
    });
    const cookie = login.headers.get('set-cookie') ?? '';
    if (login.status !== 204 || !cookie.includes('HttpOnly')) throw new Error(`login answered ${login.status} ${cookie}`);
    const info = await fetch(`${origin}/console/api/session`, { headers: { cookie: cookie.split(';')[0]! } });
    if (info.status !== 200) throw new Error(`/console/api/session answered ${info.status}`);
    return `console: the page, ${assets.length} bundled assets and a login from ${binary}`;
  } finally {
    proc.kill('SIGKILL');
    await proc.exited;
  }
}

const [binary] = Bun.argv.slice(2);
if (!binary) throw new Error('usage: bun test/console-binary.ts BINARY');
console.log(await check(resolve(binary)));
