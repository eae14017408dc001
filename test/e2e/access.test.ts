// Guessing the admin token, as an attacker on the network would: at full speed on the bearer
// endpoints, from many addresses, with a forged X-Forwarded-For, with login bodies sent late so
// that every attempt is in flight before any is counted. And a short token refused at start.
import { expect, test } from 'bun:test';
import { connect } from 'node:net';
import { join } from 'node:path';
import { runCli, scratchDir } from '../cli.ts';
import { startFakeOpenAIRest } from '../fakes/openai-rest.ts';
import { startFakeRealtime } from '../fakes/realtime-server.ts';
import { ADMIN_TOKEN, startHarness, type Harness } from '../harness.ts';

const ATTACKER = '203.0.113.7';
const OPERATOR = '198.51.100.9';
const ADMIN_PATHS = [
  ['GET', '/calls'],
  ['GET', '/calls/CA0123'],
  ['POST', '/calls'],
  ['GET', '/metrics'],
] as const;

/** A wrong token a test can look for in the log afterwards. */
const guess = (i: number) => `guess-${i}-zq${'x'.repeat(i % 40)}`;

function bearer(h: Harness, [method, path]: readonly [string, string], token: string, headers: Record<string, string> = {}) {
  return fetch(`${h.switchboard.url.origin}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...headers },
    body: method === 'POST' ? JSON.stringify({ to: '+15550001111' }) : undefined,
  });
}

interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/**
 * One HTTP/1.1 request on its own connection, from `localAddress` (any of 127.0.0.0/8 on Linux):
 * the head is written at once, the body only when `sendBody` is called.
 */
function rawRequest(port: number, head: string, body = '', localAddress = '127.0.0.1') {
  const socket = connect({ host: '127.0.0.1', port, localAddress });
  const chunks: Buffer[] = [];
  const response = new Promise<RawResponse>((resolve, reject) => {
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('close', () => {
      const text = Buffer.concat(chunks).toString();
      const [top = '', ...rest] = text.split('\r\n\r\n');
      const [statusLine = '', ...lines] = top.split('\r\n');
      const headers = Object.fromEntries(lines.map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]));
      resolve({ status: Number(statusLine.split(' ')[1]), headers, body: rest.join('\r\n\r\n') });
    });
  });
  const written = new Promise<void>((resolve) => socket.once('connect', () => socket.write(`${head}\r\nConnection: close\r\n\r\n`, () => resolve())));
  return { response, written, sendBody: () => socket.write(body) };
}

const rawGet = (port: number, path: string, localAddress: string, headers: string[] = []) =>
  rawRequest(port, [`GET ${path} HTTP/1.1`, `Host: 127.0.0.1:${port}`, ...headers].join('\r\n'), '', localAddress).response;

const metric = (text: string, name: string, endpoint: string) => Number(new RegExp(`^${name}\\{endpoint="${endpoint}"\\} (\\d+)$`, 'm').exec(text)?.[1] ?? NaN);

test('100 wrong bearer tokens from one address: 10 are compared, 90 get 429 with Retry-After; another address still gets in, and the first once the window has passed', async () => {
  let now = 1_000_000;
  await using h = await startHarness({ settings: { trustProxy: new Set(['127.0.0.1']) }, timings: { authClock: () => now } });
  const from = (address: string) => ({ 'x-forwarded-for': address });
  const statuses: number[] = [];
  let retryAfter = '';
  for (let i = 0; i < 100; i++) {
    const r = await bearer(h, ADMIN_PATHS[i % ADMIN_PATHS.length]!, guess(i), from(ATTACKER));
    statuses.push(r.status);
    if (r.status === 429) retryAfter = r.headers.get('retry-after') ?? '';
  }
  expect(statuses.filter((s) => s === 401).length).toBe(10);
  expect(statuses.slice(10).every((s) => s === 429)).toBe(true);
  expect(Number(retryAfter)).toBeGreaterThan(0);
  expect(Number(retryAfter)).toBeLessThanOrEqual(60);
  // Even the right token waits at that address: a 200 there would tell a guesser it had won.
  expect((await bearer(h, ['GET', '/calls'], ADMIN_TOKEN, from(ATTACKER))).status).toBe(429);

  // The operator, elsewhere, is never held up.
  for (const path of ADMIN_PATHS) expect((await bearer(h, path, ADMIN_TOKEN, from(OPERATOR))).status).not.toBeOneOf([401, 429]);

  // Counted in /metrics (admin failures and refusals), logged once per address, never the guess.
  const scraped = await (await bearer(h, ['GET', '/metrics'], ADMIN_TOKEN, from(OPERATOR))).text();
  expect(metric(scraped, 'switchboard_auth_failures_total', 'admin')).toBe(10);
  expect(metric(scraped, 'switchboard_auth_refused_total', 'admin')).toBe(91);
  const lines = h.logs.filter((l) => l.includes('wrong admin token'));
  expect(lines.length).toBe(2);
  expect(lines[0]).toContain(`client=${ATTACKER}`);
  expect(lines[0]).toContain('endpoint=admin');
  expect(lines[1]).toContain('client refused for a while');
  for (let i = 0; i < 100; i++) expect(h.logs.join('\n')).not.toContain(guess(i));

  // A minute later the first address may try again, and the right token works there.
  now += 60_000;
  expect((await bearer(h, ['GET', '/calls'], ADMIN_TOKEN, from(ATTACKER))).status).toBe(200);
});

test('IPv6 clients are counted by their /64: rotating the low bits buys nothing, another /64 is another client', async () => {
  await using h = await startHarness({ settings: { trustProxy: new Set(['127.0.0.1']) } });
  for (let i = 1; i <= 10; i++) expect((await bearer(h, ['GET', '/calls'], guess(i), { 'x-forwarded-for': `2001:db8:1:2::${i.toString(16)}` })).status).toBe(401);
  expect((await bearer(h, ['GET', '/calls'], ADMIN_TOKEN, { 'x-forwarded-for': '2001:db8:1:2:ffff:eeee:dddd:cccc' })).status).toBe(429);
  expect((await bearer(h, ['GET', '/calls'], ADMIN_TOKEN, { 'x-forwarded-for': '2001:db8:1:3::1' })).status).toBe(200);
  expect(h.logs.some((l) => l.includes('client=2001:db8:1:2::/64'))).toBe(true);
});

test('a forged X-Forwarded-For without TRUST_PROXY does not change the address; a real second address does', async () => {
  await using h = await startHarness();
  const port = Number(h.switchboard.url.port);
  for (let i = 0; i < 30; i++) {
    // A new "client" every time, by header only.
    const r = await bearer(h, ['GET', '/metrics'], guess(i), { 'x-forwarded-for': `10.9.${i}.1`, 'x-real-ip': `10.9.${i}.2`, forwarded: `for=10.9.${i}.3` });
    expect({ i, status: r.status }).toEqual({ i, status: i < 10 ? 401 : 429 });
  }
  expect(h.logs.filter((l) => l.includes('wrong admin token')).every((l) => l.includes('client=127.0.0.1'))).toBe(true);
  // Another machine (127.0.0.2, another peer on the loopback network) is another client.
  const other = await rawGet(port, '/calls', '127.0.0.2', [`Authorization: Bearer ${ADMIN_TOKEN}`]);
  expect(other.status).toBe(200);
  const wrong = await rawGet(port, '/calls', '127.0.0.2', ['Authorization: Bearer nope']);
  expect(wrong.status).toBe(401);
  expect(h.logs.some((l) => l.includes('wrong admin token') && l.includes('client=127.0.0.2'))).toBe(true);
});

test('logins whose bodies arrive late are counted all the same: 30 in flight together, 10 compared, 20 refused', async () => {
  await using h = await startHarness();
  const port = Number(h.switchboard.url.port);
  const origin = h.switchboard.url.origin;
  const login = (token: string) => {
    const body = new URLSearchParams({ token }).toString();
    const head = [
      'POST /console/login HTTP/1.1',
      `Host: 127.0.0.1:${port}`,
      `Origin: ${origin}`,
      'Content-Type: application/x-www-form-urlencoded',
      `Content-Length: ${Buffer.byteLength(body)}`,
    ].join('\r\n');
    return rawRequest(port, head, body);
  };
  const attempts = Array.from({ length: 30 }, (_, i) => login(guess(i)));
  await Promise.all(attempts.map((a) => a.written));
  // A full round trip on another connection: the server has read every head by now, and its
  // handlers wait for bodies.
  expect((await rawGet(port, '/healthz', '127.0.0.1')).status).toBe(200);
  for (const attempt of attempts) attempt.sendBody();
  const responses = await Promise.all(attempts.map((a) => a.response));
  const count = (status: number) => responses.filter((r) => r.status === status).length;
  expect({ wrong: count(401), refused: count(429) }).toEqual({ wrong: 10, refused: 20 });
  expect(responses.filter((r) => r.status === 429).every((r) => Number(r.headers['retry-after']) > 0)).toBe(true);
  // The right token now waits too, from this address; the console's failures are in /metrics.
  const right = login(ADMIN_TOKEN);
  await right.written;
  right.sendBody();
  expect((await right.response).status).toBe(429);
  const scraped = (await rawGet(port, '/metrics', '127.0.0.2', [`Authorization: Bearer ${ADMIN_TOKEN}`])).body;
  expect(metric(scraped, 'switchboard_auth_failures_total', 'console')).toBe(10);
  expect(metric(scraped, 'switchboard_auth_refused_total', 'console')).toBe(21);
  expect(metric(scraped, 'switchboard_auth_failures_total', 'admin')).toBe(0);
  for (let i = 0; i < 30; i++) expect(h.logs.join('\n')).not.toContain(guess(i));
});

const SERVE_ENV = { OPENAI_API_KEY: 'sk-access-test', PUBLIC_URL: 'https://voice.example.com', TWILIO_AUTH_TOKEN: 'twilio-token', PORT: '0' };
const AGENTS = join(import.meta.dir, '../../agents.yaml');
const SHORT_TOKEN_LINE = 'ADMIN_TOKEN must be at least 32 characters (it opens call records and outbound calls); make one with `openssl rand -hex 32`';

test('serve refuses a short ADMIN_TOKEN (or a TRUST_PROXY that is not addresses) in one line, without echoing it', async () => {
  for (const token of ['a', 'admin-token-keep-out-0123456789']) {
    const r = await runCli(['serve', '--config', AGENTS], { ...SERVE_ENV, ADMIN_TOKEN: token });
    expect(r).toEqual({ code: 1, stdout: '', stderr: `switchboard: ${SHORT_TOKEN_LINE}\n` });
  }
  const proxy = await runCli(['serve', '--config', AGENTS], { ...SERVE_ENV, TRUST_PROXY: '127.0.0.1, my-proxy' });
  expect(proxy).toEqual({
    code: 1,
    stdout: '',
    stderr: 'switchboard: TRUST_PROXY must list your reverse proxy\'s IP addresses, comma-separated (e.g. 127.0.0.1,::1); "my-proxy" is not an IP address\n',
  });
});

test('doctor says the same about a short ADMIN_TOKEN, and exits 1', async () => {
  const key = SERVE_ENV.OPENAI_API_KEY;
  await using api = startFakeOpenAIRest({ apiKey: key, models: { 'gpt-realtime-2.1': {}, 'gpt-transcribe': {} } });
  await using realtime = await startFakeRealtime({ apiKey: key });
  const dir = scratchDir({ 'agents.yaml': ['openai:', '  model: gpt-realtime-2.1', 'agents:', '  greeter: { instructions: hi }', ''].join('\n') });
  const env = { ...SERVE_ENV, OPENAI_BASE_URL: api.baseUrl, OPENAI_REALTIME_URL: realtime.url };
  const short = await runCli(['doctor', '--date', '2026-12-01'], { ...env, ADMIN_TOKEN: 'short-token' }, dir);
  expect(short.code).toBe(1);
  expect(short.stdout).toContain(`error ${SHORT_TOKEN_LINE}\n`);
  expect(short.stdout).not.toContain('short-token');
  const good = await runCli(['doctor', '--date', '2026-12-01'], { ...env, ADMIN_TOKEN: ADMIN_TOKEN }, dir);
  expect(good.stdout).not.toContain('ADMIN_TOKEN');
  expect(good.code).toBe(0);
});
