// The operator's console: who gets in (a login with the admin token buys a session cookie) and
// who gets nothing (a wrong token, no cookie, a forged one, a token in the URL, another site's
// page). The live feed, the history and the numbers are in console-live.test.ts; a real browser
// in test/browser/; guessing the token from many addresses in access.test.ts.
import { expect, test } from 'bun:test';
import { CONTENT_SECURITY_POLICY } from '../../src/console/browser-policy.ts';
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
  expect(h.logs.some((l) => l.includes('wrong admin token') && l.includes('endpoint=console') && l.includes('client=127.0.0.1'))).toBe(true);

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
  const viaQuery = await fetch(`${origin}/console/login?token=${ADMIN_TOKEN}`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', origin }, body: '' });
  expect(viaQuery.status).toBe(401);
  expect(viaQuery.headers.get('set-cookie')).toBeNull();
  const asJson = await fetch(`${origin}/console/login`, { method: 'POST', headers: { 'content-type': 'application/json', origin }, body: JSON.stringify({ token: ADMIN_TOKEN }) });
  expect(asJson.status).toBe(415);
});

test('logging out, a new ADMIN_TOKEN or none at all end the session, and its live stream', async () => {
  await using h = await startHarness({ store: 'sqlite://:memory:' });
  const origin = h.switchboard.url.origin;
  const settings = h.switchboard.context.settings;

  const first = await session(origin, ADMIN_TOKEN);
  const out = await fetch(`${origin}/console/logout`, { method: 'POST', headers: { cookie: first, origin } });
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

test('after 10 wrong tokens in a minute from one address even the right one waits there, and only there', async () => {
  await using h = await startHarness({ settings: { trustProxy: new Set(['127.0.0.1']) } });
  const origin = h.switchboard.url.origin;
  const from = (address: string) => ({ 'x-forwarded-for': address });
  for (let i = 0; i < 10; i++) expect((await login(origin, `guess-${i}`, from('203.0.113.7'))).status).toBe(401);
  const right = await login(origin, ADMIN_TOKEN, from('203.0.113.7'));
  expect(right.status).toBe(429);
  expect(Number(right.headers.get('retry-after'))).toBeGreaterThan(0);
  expect(right.headers.get('set-cookie')).toBeNull();
  expect(((await right.json()) as { error: string }).error).toStartWith('too many wrong admin tokens from your address; try again in ');
  // The operator elsewhere is not locked out by someone else's guessing.
  expect((await login(origin, ADMIN_TOKEN, from('198.51.100.9'))).status).toBe(204);
});

test("login and logout from another site's page, or with no Origin at all, are refused", async () => {
  await using h = await startHarness();
  const origin = h.switchboard.url.origin;
  const cookie = await session(origin, ADMIN_TOKEN);
  for (const foreign of ['https://evil.example', 'null', `http://127.0.0.1:${Number(h.switchboard.url.port) + 1}`, 'https://voice.example.com.evil.example']) {
    const r = await login(origin, ADMIN_TOKEN, { origin: foreign });
    expect({ foreign, status: r.status, cookie: r.headers.get('set-cookie') }).toEqual({ foreign, status: 403, cookie: null });
    const out = await fetch(`${origin}/console/logout`, { method: 'POST', headers: { cookie, origin: foreign } });
    expect({ foreign, status: out.status }).toEqual({ foreign, status: 403 });
  }
  const bare = await fetch(`${origin}/console/login`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ token: ADMIN_TOKEN }) });
  expect(bare.status).toBe(403);
  expect((await fetch(`${origin}/console/logout`, { method: 'POST', headers: { cookie } })).status).toBe(403);
  // The session survived every refused logout.
  expect((await get(origin, '/console/api/session', cookie)).status).toBe(200);
  // PUBLIC_URL's origin (the console through the public host, Host rewritten by the proxy) and
  // the host the browser asked for (an SSH tunnel to localhost) are the console's own.
  expect((await login(origin, ADMIN_TOKEN, { origin: 'https://voice.example.com' })).status).toBe(204);
  expect((await login(origin, ADMIN_TOKEN, { origin: 'http://localhost:8080', host: 'localhost:8080' })).status).toBe(204);
  expect((await fetch(`${origin}/console/logout`, { method: 'POST', headers: { cookie, origin: 'https://voice.example.com' } })).status).toBe(204);
  expect((await get(origin, '/console/api/session', cookie)).status).toBe(401);
});

test('every console response carries the browser policy: the page, its assets, the login, the API, the not found', async () => {
  await using h = await startHarness();
  const origin = h.switchboard.url.origin;
  const cookie = await session(origin, ADMIN_TOKEN);
  const html = await (await fetch(`${origin}/console`)).text();
  const assets = [...html.matchAll(/(?:src|href)="(\/[^"]+)"/g)].map((m) => m[1]!);
  const responses: [string, Response][] = [
    ['page', await fetch(`${origin}/console`)],
    ...(await Promise.all(assets.map(async (a): Promise<[string, Response]> => [a, await fetch(`${origin}${a}`)]))),
    ['login', await login(origin, ADMIN_TOKEN)],
    ['wrong login', await login(origin, 'wrong')],
    ['foreign login', await login(origin, ADMIN_TOKEN, { origin: 'https://evil.example' })],
    ['logout', await fetch(`${origin}/console/logout`, { method: 'POST', headers: { origin } })],
    ['api', await get(origin, '/console/api/session', cookie)],
    ['api, logged out', await get(origin, '/console/api/stats')],
    ['GET login', await fetch(`${origin}/console/login`)],
    ['unknown', await fetch(`${origin}/console/nothing/here`)],
  ];
  for (const [what, r] of responses) {
    const headers = Object.fromEntries(['content-security-policy', 'x-frame-options', 'x-content-type-options', 'referrer-policy'].map((n) => [n, r.headers.get(n)]));
    expect({ what, headers }).toEqual({
      what,
      headers: { 'content-security-policy': CONTENT_SECURITY_POLICY, 'x-frame-options': 'DENY', 'x-content-type-options': 'nosniff', 'referrer-policy': 'no-referrer' },
    });
    expect(CONTENT_SECURITY_POLICY).toContain("frame-ancestors 'none'");
  }
  const live = await openLive(origin, cookie);
  expect(live.response.headers.get('x-frame-options')).toBe('DENY');
  await live.close();
  // The page's own <meta> policy is the header's but for what a <meta> cannot say.
  const meta = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html)?.[1];
  expect(`${meta}; frame-ancestors 'none'`).toBe(CONTENT_SECURITY_POLICY);
  // A cached page is revalidated cheaply, and keeps its headers.
  const page = await fetch(`${origin}/console`);
  const again = await fetch(`${origin}/console`, { headers: { 'if-none-match': page.headers.get('etag')! } });
  expect(again.status).toBe(304);
  expect(again.headers.get('x-frame-options')).toBe('DENY');
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
