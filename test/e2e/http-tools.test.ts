// http tools against a real service on loopback: what arrives there (path, query, body, headers,
// signature) whatever the model passes, what the model gets back, and that a failing service
// costs one answer, never the call.
import { expect, test } from 'bun:test';
import { createHmac } from 'node:crypto';
import { liveCall, pattern, startHarness, eventually, type Harness } from '../harness.ts';
import { startHttpService, type HttpService } from '../fakes/http-service.ts';
import { DEFAULT_FROM } from '../fakes/twilio/webhook.ts';
import type { FakeRealtimeSession } from '../fakes/realtime/session.ts';

const TOKEN = 'svc-token-never-log-0123456789';
const SIGNING_SECRET = 'signing-secret-never-log-0123';

function yaml(service: string, refusedPort: number): string {
  return `
agents:
  desk:
    instructions: Help.
    tools: [order, note, fail, hang, big, refused, echo]
tools:
  order:
    description: Look up an order.
    parameters:
      id: { type: string }
      q: { type: string }
    http:
      url: "${service}/orders/{{id}}?q={{q}}&from={{call.from}}"
      headers: { Authorization: "Bearer \${SERVICE_TOKEN}" }
      query: { kind: "{{q}}" }
  note:
    description: Save a note.
    parameters:
      text: { type: string }
      count: { type: integer }
    http:
      method: POST
      url: "${service}/notes"
      body: { text: "{{text}}", count: "{{count}}", caller: "{{call.from}}", label: "note: {{text}}", fixed: [1, true] }
      sign: true
  fail: { description: Fails., http: { url: "${service}/fail" } }
  hang: { description: Hangs., http: { url: "${service}/hang", timeout_ms: 300 } }
  big: { description: Too big., http: { url: "${service}/big" } }
  refused: { description: Nobody listens., http: { url: "http://127.0.0.1:${refusedPort}/x" } }
  echo:
    description: Echoes headers.
    http: { url: "${service}/echo", headers: { X-Api-Key: "\${SERVICE_TOKEN}" } }
`;
}

/** A loopback port nothing listens on. */
function closedPort(): number {
  const server = Bun.serve({ port: 0, hostname: '127.0.0.1', fetch: () => new Response() });
  const port = server.port!;
  server.stop(true);
  return port;
}

async function harness(service: HttpService): Promise<Harness> {
  return startHarness({
    yaml: yaml(service.origin, closedPort()),
    env: { SERVICE_TOKEN: TOKEN, TOOL_SIGNING_SECRET: SIGNING_SECRET },
    secrets: [TOKEN, SIGNING_SECRET],
  });
}

/** The model calls `name`; resolves with what the SDK sent back as its output. */
async function run(upstream: FakeRealtimeSession, name: string, args: object): Promise<string> {
  const { callId } = await upstream.callTool(name, args);
  const output = await upstream.waitFor('conversation.item.create', (e) => e.item?.type === 'function_call_output' && e.item.call_id === callId);
  return output.item.output;
}

const liveRecord = (h: Harness) => [...h.switchboard.calls][0]!.record;

test('URL and query: hostile arguments stay inside their parameter; the secret header arrives; the JSON answer goes back', async () => {
  await using service = startHttpService();
  await using h = await harness(service);
  const { call, upstream } = await liveCall(h);
  const id = '../admin?x=1&y=2#frag';
  const q = 'a&b=c "quoted"\nline two';

  const output = await run(upstream, 'order', { id, q });
  expect(output).toBe(JSON.stringify({ order: id, status: 'shipped', items: 2 }));
  expect(service.seen).toHaveLength(1);
  const { method, url, headers } = service.seen[0]!;
  expect(method).toBe('GET');
  expect(url.pathname).toBe(`/orders/${encodeURIComponent(id)}`);
  expect([...url.searchParams]).toEqual([
    ['q', q],
    ['from', DEFAULT_FROM],
    ['kind', q],
  ]);
  expect(headers.get('authorization')).toBe(`Bearer ${TOKEN}`);

  const use = liveRecord(h).tools[0]!;
  expect(use).toMatchObject({ name: 'order', arguments: JSON.stringify({ id, q }), result: output });
  expect(use.error).toBeUndefined();
  expect(use.durationMs).toBeGreaterThanOrEqual(0);
  await call.hangup();
});

test('a whole ".." path segment is refused back to the model, and nothing is sent', async () => {
  await using service = startHttpService();
  await using h = await harness(service);
  const { call, upstream } = await liveCall(h);
  expect(await run(upstream, 'order', { id: '..', q: 'x' })).toBe('order failed: id cannot be ".."');
  expect(await run(upstream, 'order', { id: '.', q: 'x' })).toBe('order failed: id cannot be "."');
  expect(service.seen).toHaveLength(0);
  expect(liveRecord(h).tools.map((t) => t.error)).toEqual(['order failed: id cannot be ".."', 'order failed: id cannot be "."']);
  await call.hangup();
});

test('body: JSON-encoded (quotes and newlines stay in their string, a lone {{count}} stays a number), signed verifiably', async () => {
  await using service = startHttpService();
  await using h = await harness(service);
  const { call, upstream } = await liveCall(h);
  const text = '"}, "admin": true, "x": "\n\\';
  const before = Math.floor(Date.now() / 1000);

  expect(await run(upstream, 'note', { text, count: 3 })).toBe('{"saved":true}');
  const { method, headers, body } = service.seen[0]!;
  expect(method).toBe('POST');
  expect(headers.get('content-type')).toBe('application/json');
  expect(JSON.parse(body)).toEqual({ text, count: 3, caller: DEFAULT_FROM, label: `note: ${text}`, fixed: [1, true] });
  // What a receiver does (docs/tools.md, "Signed requests"), with its own HMAC: recompute over the raw body.
  const timestamp = headers.get('x-switchboard-timestamp')!;
  const expected = createHmac('sha256', SIGNING_SECRET).update(`${timestamp}.${body}`).digest('hex');
  expect(headers.get('x-switchboard-signature')).toBe(`v1=${expected}`);
  expect(Number(timestamp)).toBeGreaterThanOrEqual(before);
  expect(Number(timestamp)).toBeLessThanOrEqual(Math.floor(Date.now() / 1000));
  await call.hangup();
});

test('500, a timeout, a refused connection and a 10 MB body are tool errors, and the call goes on', async () => {
  await using service = startHttpService();
  await using h = await harness(service);
  const { call, upstream } = await liveCall(h);

  expect(await run(upstream, 'fail', {})).toBe('fail failed: the service answered 500 Internal Server Error');
  expect(await run(upstream, 'hang', {})).toBe('hang failed: the service did not answer within 300 ms');
  expect(await run(upstream, 'refused', {})).toBe('refused failed: could not reach the service (ECONNREFUSED)');
  expect(await run(upstream, 'big', {})).toBe('big failed: the answer was larger than 16384 bytes');

  const tools = liveRecord(h).tools;
  expect(tools.map((t) => [t.name, t.error === t.result && t.error !== undefined])).toEqual([
    ['fail', true],
    ['hang', true],
    ['refused', true],
    ['big', true],
  ]);
  expect(tools[1]!.durationMs).toBeGreaterThanOrEqual(300);
  // The call goes on: the caller's audio still reaches the model, and nothing was ended.
  await call.sendAudio(pattern(160, 7));
  await eventually(() => upstream.audio().length >= 160, 2000, 'caller audio upstream');
  expect(call.isOpen).toBe(true);
  expect(upstream.errorsSent).toEqual([]);
  await call.hangup();
  await upstream.closed;
  expect(h.logs.some((l) => l.includes('tool used') && l.includes('tool=refused') && l.includes('could not reach the service'))).toBe(true);
});

test('a service that echoes the request cannot hand the secret header to the model or the log', async () => {
  await using service = startHttpService();
  await using h = await harness(service);
  const { call, upstream } = await liveCall(h);
  const output = await run(upstream, 'echo', {});
  expect(service.seen[0]!.headers.get('x-api-key')).toBe(TOKEN);
  expect(output).not.toContain(TOKEN);
  expect(JSON.parse(output).headers['x-api-key']).toBe('***');
  await call.hangup();
  await upstream.closed;
  // (The harness fails the test if TOKEN or SIGNING_SECRET reached any log line.)
  expect(h.logs.some((l) => l.includes('tool used') && l.includes('tool=echo'))).toBe(true);
});
