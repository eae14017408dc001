// An http tool's secrets go to the origin its YAML names, and come back from nowhere. The attack:
// a URL a parser reads a host from an argument in ("https:/{{x}}/a") lets whoever steers the model
// (a caller, by talking) send the tool's Authorization header to their own host; and a service
// that echoes the header base64- or lower-cased hands it to the model and the log.
import { expect, test } from 'bun:test';
import { RunContext } from '@openai/agents';
import type { FunctionTool } from '@openai/agents';
import { compileTool } from '../../src/agents/tools.ts';
import type { HttpConfig } from '../../src/config/schema/http-tool-schema.ts';
import type { ToolConfig } from '../../src/config/index.ts';
import { runCli, scratchDir } from '../cli.ts';
import { echoedForms, startHttpService, type HttpService } from '../fakes/http-service.ts';
import type { FakeRealtimeSession } from '../fakes/realtime/session.ts';
import { liveCall, startHarness, type Harness } from '../harness.ts';

// "+" and "/" in its base64 (so base64url differs), characters URL encoding changes, both cases.
const TOKEN = 'Ord3rs/T0ken+never-log?x=1&y=~>>';
const BASIC = Buffer.from('ops-user:Pa55word/never+logged').toString('base64');
const portOf = (service: HttpService) => new URL(service.origin).port;

test('check refuses every URL shape that lets an argument choose the host or port, at its line, without printing the token', async () => {
  const tool = (id: string, url: string) => [
    `  ${id}:`,
    '    description: Look up an order.',
    '    parameters: { x: { type: string } }',
    `    http: { url: "${url}", headers: { Authorization: "Bearer \${ORDERS_TOKEN}" } }`,
  ];
  const yaml = [
    'agents:',
    '  desk: { instructions: Help., tools: [three, one, none, typo, user, port] }',
    'tools:',
    ...tool('three', 'https:///{{x}}/a'),
    ...tool('one', 'https:/{{x}}/a'),
    ...tool('none', 'https:{{x}}/a'),
    ...tool('typo', 'http:/{{x}}:8080/a'),
    ...tool('user', 'https://{{x}}@api.example.com/a'),
    ...tool('port', 'https://api.example.com:{{x}}/a'),
    '',
  ].join('\n');
  const r = await runCli(['check'], { ORDERS_TOKEN: TOKEN }, scratchDir({ 'agents.yaml': yaml }));
  const slashes =
    'write "//" and the host right after "http:" or "https:" (https://api.example.com/path): with fewer slashes a URL parser takes the host from what follows, arguments included';
  expect(r).toEqual({
    code: 1,
    stdout: '',
    stderr: [
      'agents.yaml:7:18  tools.three.http.url: no host after "//": write the host in the YAML (https://api.example.com/path); a URL parser would skip the extra "/" and take the host from what follows, arguments included',
      `agents.yaml:11:18  tools.one.http.url: ${slashes}`,
      `agents.yaml:15:18  tools.none.http.url: ${slashes}`,
      `agents.yaml:19:18  tools.typo.http.url: ${slashes}`,
      'agents.yaml:23:18  tools.user.http.url: a user or password before "@" in the URL: write only the host there, and send credentials in a header (Authorization: "Basic ${ORDERS_BASIC}")',
      'agents.yaml:27:18  tools.port.http.url: a {{placeholder}} in the port: the port is written in the YAML, never taken from an argument; put arguments in the path or the query',
      '6 error(s); fix them and run again.',
      '',
    ].join('\n'),
  });
});

test('forced past check, a URL that fixes no origin is a tool error at run time, and neither the service nor the attacker receives anything', async () => {
  await using service = startHttpService();
  await using attacker = startHttpService();
  // Each shape, aimed at the attacker's port; the model's argument fills in the rest.
  const shapes: [url: string, args: Record<string, string>][] = [
    [`http:///{{x}}:${portOf(attacker)}/a`, { x: '127.0.0.1' }],
    [`http:/{{x}}:${portOf(attacker)}/a`, { x: '127.0.0.1' }],
    [`http:{{x}}:${portOf(attacker)}/a`, { x: '127.0.0.1' }],
    [`http://{{x}}:${portOf(attacker)}/a`, { x: '127.0.0.1' }],
    [`http://127.0.0.1:{{x}}/a`, { x: portOf(attacker) }],
    [`http://127.0.0.{{x}}:${portOf(attacker)}/a`, { x: '1' }],
    [`http://{{x}}@127.0.0.1:${portOf(service)}/a`, { x: 'someone' }],
  ];
  for (const [url, args] of shapes) {
    // What the schema would never let through: built by hand, as code (or a bug) could.
    const http: HttpConfig = { url, headers: { Authorization: `Bearer ${TOKEN}` }, timeout_ms: 2000, max_response_bytes: 16384, sign: false };
    const config: ToolConfig = { description: 'Look up an order.', parameters: { x: { type: 'string' } }, http, background: false, needs_approval: false };
    const orders = compileTool('orders', config) as unknown as FunctionTool;
    const output = await orders.invoke(new RunContext({}), JSON.stringify(args));
    expect([url, output]).toEqual([url, "orders failed: the tool's URL does not name its host in the configuration, so nothing was sent"]);
  }
  // The request would have been answered before invoke resolved: had it been sent, it is recorded.
  expect(attacker.seen).toEqual([]);
  expect(service.seen).toEqual([]);
});

function yaml(service: string): string {
  return `
agents:
  desk:
    instructions: Help.
    tools: [order, echo, basic]
tools:
  order:
    description: Look up an order.
    parameters:
      id: { type: string }
      q: { type: string }
    http:
      url: "${service}/orders/{{id}}?q={{q}}"
      headers: { Authorization: "Bearer \${ORDERS_TOKEN}" }
  echo:
    description: Echoes the credential.
    http: { url: "${service}/echo-encoded", headers: { Authorization: "Bearer \${ORDERS_TOKEN}" } }
  basic:
    description: Echoes the login.
    http: { url: "${service}/echo-encoded", headers: { Authorization: "Basic \${ORDERS_BASIC}" } }
`;
}

/** Every form of a secret the service echoes back, bar the whole-header base64 (masked in part). */
const secretForms = (authorization: string) =>
  Object.entries(echoedForms(authorization))
    .filter(([form]) => form !== 'headerBase64')
    .map(([, value]) => value);
const FORMS = [...secretForms(`Bearer ${TOKEN}`), ...secretForms(`Basic ${BASIC}`)];

async function harness(service: HttpService): Promise<Harness> {
  // The harness fails the test if any of these reached any log line.
  return startHarness({ yaml: yaml(service.origin), env: { ORDERS_TOKEN: TOKEN, ORDERS_BASIC: BASIC }, secrets: FORMS });
}

async function run(upstream: FakeRealtimeSession, name: string, args: object): Promise<string> {
  const { callId } = await upstream.callTool(name, args);
  const output = await upstream.waitFor('conversation.item.create', (e) => e.item?.type === 'function_call_output' && e.item.call_id === callId);
  return output.item.output;
}

test('a templated path and query still work at the YAML\'s origin, with the token, whatever the model passes', async () => {
  await using service = startHttpService();
  await using attacker = startHttpService();
  await using h = await harness(service);
  const { call, upstream } = await liveCall(h);
  const id = `127.0.0.1:${portOf(attacker)}`;
  const output = await run(upstream, 'order', { id, q: `@127.0.0.1:${portOf(attacker)}/x` });
  expect(JSON.parse(output)).toEqual({ order: id, status: 'shipped', items: 2 });
  expect(service.seen).toHaveLength(1);
  expect(service.seen[0]!.url.pathname).toBe(`/orders/${encodeURIComponent(id)}`);
  expect(service.seen[0]!.url.searchParams.get('q')).toBe(`@127.0.0.1:${portOf(attacker)}/x`);
  expect(service.seen[0]!.headers.get('authorization')).toBe(`Bearer ${TOKEN}`);
  expect(attacker.seen).toEqual([]);
  await call.hangup();
});

test('a service echoing the token and a Basic login base64-, URL-, hex-encoded or in another case: masked for the model, in the record and in every log line', async () => {
  await using service = startHttpService();
  await using h = await harness(service);
  const { call, upstream } = await liveCall(h);

  const outputs = [await run(upstream, 'echo', {}), await run(upstream, 'basic', {})];
  // The service did get the credentials, and did echo them in every form.
  expect(service.seen.map((r) => r.headers.get('authorization'))).toEqual([`Bearer ${TOKEN}`, `Basic ${BASIC}`]);
  for (const output of outputs) {
    const echoed: Record<string, string> = JSON.parse(output);
    expect(Object.keys(echoed).length).toBeGreaterThanOrEqual(8);
    for (const [form, value] of Object.entries(echoed)) {
      // The whole header's base64 keeps the few characters "Bearer "/"Basic " alone decide.
      if (form === 'headerBase64') expect(value).toContain('***');
      else expect([form, value]).toEqual([form, '***']);
    }
  }
  const record = [...h.switchboard.calls][0]!.record;
  expect(record.tools.map((t) => t.result)).toEqual(outputs);
  const leaks = (text: string) => FORMS.filter((form) => text.includes(form));
  expect(outputs.flatMap(leaks)).toEqual([]);

  await call.hangup();
  await upstream.closed;
  const used = h.logs.filter((l) => l.includes('tool used'));
  expect(used).toHaveLength(2);
  expect(used.every((l) => l.includes('***'))).toBe(true);
  expect(h.logs.flatMap(leaks)).toEqual([]);
});
