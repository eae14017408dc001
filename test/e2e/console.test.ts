// The operator's console: who gets in (a login with the admin token buys a session cookie) and
// who gets nothing (a wrong token, no cookie, a forged one, a token in the URL). The live feed,
// the history and the numbers are in console-live.test.ts; a real browser in test/browser/.
import { expect, test } from 'bun:test';
import { ADMIN_TOKEN, startHarness } from '../harness.ts';
import { get, login, openLive, session } from '../console-client.ts';

const API = ['/console/api/session', '/console/api/live', '/console/api/calls', '/console/api/calls/CA0123', '/console/api/stats'];

test('logging in with the token in a form body sets a session cookie: HttpOnly, Secure, SameSite=Strict, for /console only', async () => {
  await using h = await startHarness({ store: 'sqlite://:memory:' });
  const origin = h.switchboard.url.origin;
  const response = await login(origin, ADMIN_TOKEN);
  expect(response.status).toBe(204);
  const cookie = response.headers.get('set-cookie')!;
  const [pair, ...attributes] = cookie.split('; ');
  const [name, value] = pair!.split('=');
  expect(name).toBe('switchboard_console');
  // A random session id, not the token (nor anything derived from it in the clear).
  expect(value).toMatch(/^[A-Za-z0-9_-]{43}$/);
  expect(cookie).not.toContain(ADMIN_TOKEN);
  expect(attributes.sort()).toEqual(['HttpOnly', 'Max-Age=43200', 'Path=/console', 'SameSite=Strict', 'Secure']);
  expect(response.headers.get('cache-control')).toBe('no-store');
  const info = (await (await get(origin, '/console/api/session', pair)).json()) as { endReasons: string[] };
  expect(info).toMatchObject({ agents: ['greeter'], history: true });
  expect(info.endReasons).toContain('caller_hangup');
  expect(h.logs.some((l) => l.includes('console login'))).toBe(true);
});

test('a wrong token, no cookie, a forged cookie, the bearer token or a token in the URL get nothing', async () => {
  await using h = await startHarness({ store: 'sqlite://:memory:' });
  const origin = h.switchboard.url.origin;
  const wrong = await login(origin, 'not-the-token');
  expect(wrong.status).toBe(401);
  expect(wrong.headers.get('set-cookie')).toBeNull();
  expect(await wrong.json()).toEqual({ error: 'wrong token' });
  expect(h.logs.some((l) => l.includes('console login refused: wrong admin token'))).toBe(true);

  const refusals = [undefined, 'switchboard_console=forged', `switchboard_console=${ADMIN_TOKEN}`];
  for (const path of API) {
    for (const cookie of refusals) {
      const r = await get(origin, path, cookie);
      expect(`${path} ${r.status} ${await r.text()}`).toBe(`${path} 401 {"error":"log in first"}`);
    }
    // The console reads its session only: the admin API's bearer token is not a way in.
    expect((await fetch(`${origin}${path}`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } })).status).toBe(401);
  }
  // The token is never taken from a URL: a GET is no login, and a POST reads only its body.
  const viaGet = await fetch(`${origin}/console/login?token=${ADMIN_TOKEN}`);
  expect(viaGet.status).toBe(404);
  expect(viaGet.headers.get('set-cookie')).toBeNull();
  const viaQuery = await fetch(`${origin}/console/login?token=${ADMIN_TOKEN}`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: '' });
  expect(viaQuery.status).toBe(401);
  expect(viaQuery.headers.get('set-cookie')).toBeNull();
  const asJson = await fetch(`${origin}/console/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token: ADMIN_TOKEN }) });
  expect(asJson.status).toBe(415);
});

test('logging out, a new ADMIN_TOKEN or none at all end the session, and its live stream', async () => {
  await using h = await startHarness({ store: 'sqlite://:memory:' });
  const origin = h.switchboard.url.origin;
  const settings = h.switchboard.context.settings;

  const first = await session(origin, ADMIN_TOKEN);
  const out = await fetch(`${origin}/console/logout`, { method: 'POST', headers: { cookie: first } });
  expect(out.status).toBe(204);
  expect(out.headers.get('set-cookie')).toContain('Max-Age=0');
  expect((await get(origin, '/console/api/session', first)).status).toBe(401);

  const second = await session(origin, ADMIN_TOKEN);
  const live = await openLive(origin, second);
  await live.next('calls');
  settings.adminToken = 'a-new-admin-token-0123456789abcdef';
  // The stream is closed at its next tick, and the old session opens nothing any more.
  await live.end();
  expect((await get(origin, '/console/api/session', second)).status).toBe(401);
  expect((await login(origin, ADMIN_TOKEN)).status).toBe(401);
  const third = await session(origin, settings.adminToken);

  settings.adminToken = undefined;
  const off = await get(origin, '/console/api/session', third);
  expect(off.status).toBe(404);
  expect(await off.json()).toEqual({ error: 'the console is off: set ADMIN_TOKEN and restart' });
  expect((await login(origin, ADMIN_TOKEN)).status).toBe(404);
});

test('without ADMIN_TOKEN at start the console is off: a page that says so, and no login', async () => {
  await using h = await startHarness({ settings: { adminToken: undefined } });
  const origin = h.switchboard.url.origin;
  const page = await fetch(`${origin}/console`);
  expect(page.status).toBe(404);
  expect(await page.text()).toContain('<h1>The console is off</h1>');
  expect((await login(origin, ADMIN_TOKEN)).status).toBe(404);
});

test('after 20 wrong tokens in a minute even the right one waits', async () => {
  await using h = await startHarness();
  const origin = h.switchboard.url.origin;
  for (let i = 0; i < 20; i++) expect((await login(origin, `guess-${i}`)).status).toBe(401);
  const right = await login(origin, ADMIN_TOKEN);
  expect(right.status).toBe(429);
  expect(right.headers.get('set-cookie')).toBeNull();
});

test('the page and its assets come from the bundle: no inline script, a content security policy, nothing from elsewhere', async () => {
  await using h = await startHarness();
  const origin = h.switchboard.url.origin;
  const page = await fetch(`${origin}/console`);
  expect(page.status).toBe(200);
  expect(page.headers.get('content-type')).toStartWith('text/html');
  const html = await page.text();
  expect(html).toContain(`content="default-src 'none'; script-src 'self'`);
  const scripts = [...html.matchAll(/<script\b([^>]*)>/g)].map((m) => m[1]!);
  expect(scripts.length).toBeGreaterThan(0);
  for (const attributes of scripts) expect(attributes).toMatch(/\bsrc="\/[^/]/);
  const assets = [...html.matchAll(/(?:src|href)="([^"#]+)"/g)].map((m) => m[1]!);
  expect(assets.every((a) => a.startsWith('/'))).toBe(true);
  for (const asset of assets) expect((await fetch(`${origin}${asset}`)).status).toBe(200);
});
