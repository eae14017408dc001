// Local MCP servers on a call: a stdio process and a streamable HTTP server (test/fakes/mcp-server.ts)
// offer their allowed tools in session.update, answer, fail as tool errors, and, killed in the
// middle of a call, are restarted while the call goes on.
import { expect, test } from 'bun:test';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { eventually, liveCall, pattern, startHarness, type Harness } from '../harness.ts';
import { startHttpMcp } from '../fakes/mcp-server.ts';
import { scratchDir } from '../cli.ts';
import type { FakeRealtimeSession } from '../fakes/realtime/session.ts';

const SERVER = join(import.meta.dir, '../fakes/mcp-server.ts');
const MCP_TOKEN = 'mcp-token-never-log-0123456789';

function stdioYaml(events: string, extra = ''): string {
  return `
agents:
  desk: { instructions: Help., mcp_servers: [local] }
mcp_servers:
  local:
    command: "${process.execPath}"
    args: ["${SERVER}"]
    env: { FAKE_MCP_EVENTS: "${events}" }
    allowed_tools: [lookup_order, broken, hang]
${extra}`;
}

/** The lines the fake wrote (`started <pid>`, `call <tool> <pid>`). */
const eventsOf = (file: string) => (existsSync(file) ? readFileSync(file, 'utf8').trim().split('\n') : []);

/** The pid on the `at`-th (negative: from the end) event line starting with `prefix`. */
const pidOf = (file: string, prefix: string, at: number) => Number(eventsOf(file).filter((l) => l.startsWith(prefix)).at(at)?.split(' ').at(-1));

async function run(upstream: FakeRealtimeSession, name: string, args: object): Promise<string> {
  const { callId } = await upstream.callTool(name, args);
  const output = await upstream.waitFor('conversation.item.create', (e) => e.item?.type === 'function_call_output' && e.item.call_id === callId, 8000);
  return output.item.output;
}

const toolsOf = (h: Harness) => [...h.switchboard.calls][0]!.record.tools;

test('stdio: allowed tools in session.update; an answer, an error; killed mid-run, it is restarted and the call goes on', async () => {
  const events = join(scratchDir(), 'events.log');
  await using h = await startHarness({ yaml: stdioYaml(events, '    timeout_ms: 5000') });
  const { call, upstream, update } = await liveCall(h);

  const tools = update.session.tools.map((t: { name: string }) => t.name);
  expect(tools).toEqual(['lookup_order', 'broken', 'hang']);
  expect(await run(upstream, 'lookup_order', { order_id: 'A7' })).toBe('{"type":"text","text":"Order A7 ships tomorrow."}');
  expect(await run(upstream, 'broken', {})).toBe('broken failed: the order system is down');

  // Killed while it runs a tool: that tool run is an error, the server comes back, the call goes on.
  const { callId } = await upstream.callTool('hang', {});
  await eventually(() => eventsOf(events).some((l) => l.startsWith('call hang')), 5000, 'the hang call to reach the server');
  const pid = pidOf(events, 'call hang', 0);
  process.kill(pid, 'SIGKILL');
  const output = await upstream.waitFor('conversation.item.create', (e) => e.item?.call_id === callId);
  expect(output.item.output).toBe('the local server stopped while running hang; it is being restarted');
  await eventually(() => h.logs.some((l) => l.includes('mcp server restarted') && l.includes('server=local')), 5000, 'the restart');
  expect(await run(upstream, 'lookup_order', { order_id: 'B8' })).toBe('{"type":"text","text":"Order B8 ships tomorrow."}');
  // Answered by a new process. (Each connect also starts a short-lived sibling: the MCP client's version probe.)
  expect(pidOf(events, 'call lookup_order', -1)).not.toBe(pid);

  expect(toolsOf(h).map((t) => [t.name, t.error !== undefined, typeof t.durationMs])).toEqual([
    ['lookup_order', false, 'number'],
    ['broken', true, 'number'],
    ['hang', true, 'number'],
    ['lookup_order', false, 'number'],
  ]);
  await call.sendAudio(pattern(160, 5));
  await eventually(() => upstream.audio().length >= 160, 2000, 'caller audio upstream');
  expect(call.isOpen).toBe(true);
  expect(h.logs.some((l) => l.includes('mcp server lost') && l.includes('server=local'))).toBe(true);
  await call.hangup();
});

test('stdio: a tool call not answered within timeout_ms is a tool error; the server stays up', async () => {
  const events = join(scratchDir(), 'events.log');
  await using h = await startHarness({ yaml: stdioYaml(events, '    timeout_ms: 300') });
  const { call, upstream } = await liveCall(h);
  expect(await run(upstream, 'hang', {})).toBe('the local server did not answer within 300 ms');
  expect(await run(upstream, 'lookup_order', { order_id: 'C9' })).toBe('{"type":"text","text":"Order C9 ships tomorrow."}');
  // The same process answered: a slow tool is not a dead server.
  expect(pidOf(events, 'call lookup_order', -1)).toBe(pidOf(events, 'call hang', 0));
  await call.hangup();
});

test('streamable HTTP: tools offered, headers sent (never logged); stopped mid-run and back on its port, it is reconnected', async () => {
  let mcp = startHttpMcp();
  const port = mcp.server.port!;
  const yaml = `
agents:
  desk: { instructions: Help., mcp_servers: [remote] }
mcp_servers:
  remote:
    url: "${mcp.url}"
    headers: { Authorization: "Bearer \${MCP_TOKEN}" }
    allowed_tools: [lookup_order, hang]
`;
  await using h = await startHarness({ yaml, env: { MCP_TOKEN }, secrets: [MCP_TOKEN] });
  const { call, upstream, update } = await liveCall(h);
  expect(update.session.tools.map((t: { name: string }) => t.name)).toEqual(['lookup_order', 'hang']);
  expect(await run(upstream, 'lookup_order', { order_id: 'D1' })).toBe('{"type":"text","text":"Order D1 ships tomorrow."}');
  expect(mcp.headers.every((headers) => headers.authorization === `Bearer ${MCP_TOKEN}`)).toBe(true);

  const { callId } = await upstream.callTool('hang', {});
  await eventually(() => mcp.messages.some((m) => m.method === 'tools/call' && m.params?.name === 'hang'), 5000, 'the hang call to arrive');
  await mcp.server.stop(true);
  const output = await upstream.waitFor('conversation.item.create', (e) => e.item?.call_id === callId);
  expect(output.item.output).toBe('the remote server stopped while running hang; it is being restarted');
  expect(await run(upstream, 'lookup_order', { order_id: 'D2' })).toBe('the remote server is restarting; try again in a moment');

  mcp = startHttpMcp(port);
  await eventually(() => h.logs.some((l) => l.includes('mcp server restarted') && l.includes('server=remote')), 8000, 'the reconnection');
  expect(await run(upstream, 'lookup_order', { order_id: 'D3' })).toBe('{"type":"text","text":"Order D3 ships tomorrow."}');
  expect(call.isOpen).toBe(true);
  await call.hangup();
  await mcp.server.stop(true);
});

test('an optional server that cannot start is left out of the calls; servers are closed on shutdown', async () => {
  const events = join(scratchDir(), 'events.log');
  const yaml = stdioYaml(events).replace('mcp_servers: [local]', 'mcp_servers: [local, gone]') + '  gone: { command: /nonexistent/mcp-server, optional: true }\n';
  let pid: number;
  {
    await using h = await startHarness({ yaml });
    const { call, upstream, update } = await liveCall(h);
    expect(update.session.tools.map((t: { name: string }) => t.name)).toEqual(['lookup_order', 'broken', 'hang']);
    expect(h.logs.some((l) => l.includes('WARN') && l.includes('mcp_servers.gone: could not start the MCP server') && l.includes('optional, so the agents run without it'))).toBe(true);
    await run(upstream, 'lookup_order', { order_id: 'E5' });
    pid = pidOf(events, 'call lookup_order', 0);
    expect(isRunning(pid)).toBe(true);
    await call.hangup();
  }
  // The harness closed its tool runtime as `serve` does on shutdown: the server process is gone.
  await eventually(() => !isRunning(pid), 5000, 'the MCP server process to exit');
});

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
