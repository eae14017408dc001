import { expect, test } from 'bun:test';
import { createHmac } from 'node:crypto';
import type { CallEndWebhookConfig } from '../config/schema/notify-schema.ts';
import { Logger } from '../log/logger.ts';
import { CallEndWebhook, defaultRetryDelayMs } from './call-end-webhook.ts';
import type { CallSummary } from './call-summary.ts';

const SECRET = 'unit-secret-0123456789abcdef';

function setup(replies: number[], delayMs = 0) {
  const bodies: { headers: Headers; body: string; path: string }[] = [];
  const server = Bun.serve({
    port: 0,
    hostname: '127.0.0.1',
    async fetch(req) {
      bodies.push({ headers: req.headers, body: await req.text(), path: new URL(req.url).pathname });
      const status = replies[bodies.length - 1] ?? 200;
      return status === 302 ? new Response(null, { status, headers: { location: '/elsewhere' } }) : new Response(null, { status });
    },
  });
  const logs: string[] = [];
  const webhook = new CallEndWebhook(new Logger('debug', {}, (line) => logs.push(line)), { retryDelayMs: () => delayMs, now: () => 1_700_000_000_000 });
  const config = (extra: Partial<CallEndWebhookConfig> = {}): CallEndWebhookConfig => ({
    url: `http://127.0.0.1:${server.port}/hook`,
    secret: SECRET,
    headers: {},
    timeout_ms: 1000,
    retries: 3,
    ...extra,
  });
  return { bodies, logs, webhook, config, server, [Symbol.asyncDispose]: () => server.stop(true) };
}

const summary = (callSid: string) => ({ event: 'call.ended', call_sid: callSid }) as CallSummary;
const until = (check: () => boolean) => {
  const { promise, resolve } = Promise.withResolvers<void>();
  const poll = () => (check() ? resolve() : setTimeout(poll, 2));
  poll();
  return promise;
};

test('backoff doubles from 1 s and stops growing at 30 s', () => {
  expect([1, 2, 3, 4, 5, 6, 7, 10].map(defaultRetryDelayMs)).toEqual([1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000]);
});

test('configured headers cannot replace the signature or the content type', async () => {
  await using s = setup([]);
  s.webhook.send(s.config({ headers: { 'Content-Type': 'text/plain', 'X-Switchboard-Signature': 'v1=forged', 'X-Tenant': 'acme' } }), summary('CA1'));
  await s.webhook.settle(Date.now() + 3000);
  const [{ headers, body }] = s.bodies as [(typeof s.bodies)[0]];
  expect(headers.get('content-type')).toBe('application/json');
  expect(headers.get('x-tenant')).toBe('acme');
  expect(headers.get('x-switchboard-timestamp')).toBe('1700000000');
  expect(headers.get('x-switchboard-signature')).toBe(`v1=${createHmac('sha256', SECRET).update(`1700000000.${body}`).digest('hex')}`);
});

test('a redirect is not followed, nor retried: the summary goes to the configured URL or nowhere', async () => {
  await using s = setup([302]);
  s.webhook.send(s.config(), summary('CA2'));
  await s.webhook.settle(Date.now() + 3000);
  expect(s.bodies.map((b) => b.path)).toEqual(['/hook']);
  expect(s.logs.at(-1)).toContain('post-call webhook gave up callSid=CA2 attempts=1 error="HTTP 302" gaveUpSinceStart=1');
});

test('an unreachable receiver is retried; the log names the failure, never the URL', async () => {
  await using s = setup([]);
  const url = `http://127.0.0.1:${s.server.port}/hook?token=in-the-url`;
  await s.server.stop(true);
  s.webhook.send(s.config({ url, retries: 1 }), summary('CA3'));
  await s.webhook.settle(Date.now() + 3000);
  expect(s.webhook.stats).toEqual({ delivered: 0, retried: 1, gaveUp: 1, duplicates: 0 });
  expect(s.logs.at(-1)).toMatch(/post-call webhook gave up callSid=CA3 attempts=2 error="connection failed \(\w+\)"/);
  expect(s.logs.join('\n')).not.toContain('in-the-url');
});

test('settle returns at its deadline while a retry waits; stop then gives the delivery up, and later ones too', async () => {
  await using s = setup([500], 60_000);
  s.webhook.send(s.config(), summary('CA4'));
  await until(() => s.webhook.stats.retried === 1);
  const started = Date.now();
  await s.webhook.settle(started + 50);
  expect(Date.now() - started).toBeLessThan(1000);
  expect(s.webhook.pending).toBe(1);
  s.webhook.stop();
  await until(() => s.webhook.pending === 0);
  expect(s.logs.at(-1)).toContain('post-call webhook gave up callSid=CA4 attempts=1 error="the server is stopping" gaveUpSinceStart=1');
  s.webhook.send(s.config(), summary('CA5'));
  expect(s.logs.at(-1)).toContain('post-call webhook gave up callSid=CA5 attempts=0 error="the server is stopping" gaveUpSinceStart=2');
  expect(s.bodies.length).toBe(1);
});

test('send never throws: a summary that cannot be queued is logged', async () => {
  await using s = setup([]);
  const broken = { ...summary('CA6'), duration_seconds: 1n } as unknown as CallSummary;
  expect(() => s.webhook.send(s.config(), broken)).not.toThrow();
  expect(s.logs.at(-1)).toContain('post-call webhook not queued callSid=CA6 error=TypeError');
});
