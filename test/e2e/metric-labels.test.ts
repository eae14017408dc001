// /metrics labels and call records under a hostile upstream: hosted MCP calls are named by the
// upstream, so thousands of made-up names must neither become series nor grow a call's record.
// Tool runs are counted as each ends, while their call goes on; rejected approvals stay rejected.
import { expect, test } from 'bun:test';
import { MAX_TOOL_NAME_CHARS, MAX_TOOL_RUNS_KEPT, MAX_TOOL_TEXT_CHARS } from '../../src/call/tool-runs.ts';
import { startHttpMcp } from '../fakes/mcp-server.ts';
import { eventually, liveCall, SHIPPED_YAML, startHarness, type Harness } from '../harness.ts';
import { parsePrometheus } from '../prometheus.ts';

const YAML = `
agents:
  desk: { instructions: Help., tools: [weather], mcp_servers: [docs, wiki] }
tools:
  weather: { description: The weather., parameters: { city: { type: string } }, result: "Sunny in {{city}}." }
mcp_servers:
  docs: { hosted: true, url: "https://docs.example.com/mcp", allowed_tools: [search_docs] }
  wiki: { hosted: true, url: "https://wiki.example.com/mcp" }
`;

const scrape = async (h: Harness) => {
  const response = await fetch(`${h.switchboard.url.origin}/metrics`);
  expect(response.status).toBe(200);
  return response.text();
};

/** The distinct `tool` label values in the text, and how many tool series there are. */
function toolSeries(text: string) {
  const lines = text.split('\n').filter((l) => l.startsWith('switchboard_tool_'));
  const labels = new Set(lines.flatMap((l) => /tool="([^"]*)"/.exec(l)?.[1] ?? []));
  return { labels: [...labels].sort(), series: lines.length };
}

const CALLS = 4;
const NAMES_PER_CALL = 1250;

test('5,000 made-up MCP tool names: /metrics keeps the declared labels plus "other", and each record stays bounded', async () => {
  await using h = await startHarness({ yaml: YAML, settings: { metricsPublic: true } });
  let seriesAfterFirst = 0;
  for (let c = 0; c < CALLS; c++) {
    const { call, upstream } = await liveCall(h);
    const record = [...h.switchboard.calls].find((x) => x.callSid === call.callSid)!.record;
    // A configured server lists a tool it was not limited to: it keeps its name.
    upstream.listMcpTools('wiki', ['read_page']);
    await eventually(() => h.logs.some((l) => l.includes('mcp tools available') && l.includes('read_page')), 3000, 'the listing');
    upstream.callMcpTool('docs', 'search_docs', { q: 'declared' }, { output: 'found' });
    upstream.callMcpTool('wiki', 'read_page', { page: 'listed' }, { output: 'a page' });
    // A name no server has, from a server that is not configured, huge arguments and output.
    upstream.callMcpTool('evil', 'n'.repeat(10_000), 'a'.repeat(100_000), { output: 'o'.repeat(100_000) });
    for (let i = 0; i < NAMES_PER_CALL; i++) upstream.callMcpTool(i % 2 ? 'docs' : 'evil', `made_up_${c}_${i}`, { i }, i % 3 ? { output: 'x' } : { error: 'no' });
    const total = NAMES_PER_CALL + 3;
    await eventually(() => record.tools.length + (record.toolsNotKept ?? 0) === total, 60_000, `call ${c}: every MCP call seen`);

    // The record keeps its first runs, clipped, and counts the rest.
    expect(record.tools.length).toBe(MAX_TOOL_RUNS_KEPT);
    expect(record.toolsNotKept).toBe(total - MAX_TOOL_RUNS_KEPT);
    const huge = record.tools[2]!;
    expect(huge.name.length).toBeLessThan(MAX_TOOL_NAME_CHARS + 100);
    expect(huge.arguments.length).toBeLessThan(MAX_TOOL_TEXT_CHARS + 100);
    expect(huge.result!.length).toBeLessThan(MAX_TOOL_TEXT_CHARS + 100);

    const { labels, series } = toolSeries(await scrape(h));
    expect(labels).toEqual(['other', 'read_page', 'search_docs']);
    if (c === 0) seriesAfterFirst = series;
    else expect(series).toBe(seriesAfterFirst);
    await call.hangup();
    await eventually(() => h.switchboard.calls.size === 0, 3000, `call ${c} ended`);
  }
  const samples = parsePrometheus(await scrape(h));
  expect(samples.get('switchboard_tool_calls_total{outcome="ok",tool="search_docs"}')).toBe(CALLS);
  expect(samples.get('switchboard_tool_calls_total{outcome="ok",tool="read_page"}')).toBe(CALLS);
  expect(samples.get('switchboard_tool_calls_total{outcome="ok",tool="other"}')).toBe(CALLS * (NAMES_PER_CALL + 1));
  expect(toolSeries(await scrape(h)).series).toBe(seriesAfterFirst);
}, 120_000);

test("a declared tool's run is in /metrics while its call goes on", async () => {
  await using h = await startHarness({ yaml: YAML, settings: { metricsPublic: true } });
  const { call, upstream } = await liveCall(h);
  const { callId } = await upstream.callTool('weather', { city: 'Oslo' });
  await upstream.waitFor('conversation.item.create', (e) => e.item?.call_id === callId);
  await eventually(() => h.logs.some((l) => l.includes('tool call') && l.includes('tool=weather')), 3000, 'the run');
  const during = parsePrometheus(await scrape(h));
  expect(during.get('switchboard_active_calls{state="connected"}')).toBe(1);
  expect(during.get('switchboard_tool_calls_total{outcome="ok",tool="weather"}')).toBe(1);
  expect(during.get('switchboard_tool_call_duration_seconds_count{tool="weather"}')).toBe(1);
  await call.hangup();
  await eventually(() => h.switchboard.calls.size === 0, 3000, 'the call ended');
  // Counted once: the call's end adds nothing.
  expect(parsePrometheus(await scrape(h)).get('switchboard_tool_calls_total{outcome="ok",tool="weather"}')).toBe(1);
});

test('a tool the approvals policy rejects is counted as rejected, as it happens', async () => {
  const yaml = SHIPPED_YAML.replace('openai:', 'approvals: reject\nopenai:');
  await using h = await startHarness({ yaml, settings: { metricsPublic: true } });
  const { call, upstream } = await liveCall(h);
  const { callId } = await upstream.callTool('secret', { question: 'q' });
  await upstream.waitFor('conversation.item.create', (e) => e.item?.type === 'function_call_output' && e.item.call_id === callId);
  // A tool that needs no approval runs as usual on the same call.
  const weather = await upstream.callTool('weather', { location: 'Oslo' });
  await upstream.waitFor('conversation.item.create', (e) => e.item?.call_id === weather.callId);
  const during = parsePrometheus(await scrape(h));
  expect(during.get('switchboard_tool_calls_total{outcome="rejected",tool="secret"}')).toBe(1);
  expect(during.get('switchboard_tool_calls_total{outcome="ok",tool="secret"}')).toBeUndefined();
  expect(during.get('switchboard_tool_calls_total{outcome="ok",tool="weather"}')).toBe(1);
  expect([...h.switchboard.calls][0]!.record.approvals).toEqual([{ tool: 'secret', decision: 'rejected' }]);
  await call.hangup();
  await eventually(() => h.switchboard.calls.size === 0, 3000, 'the call ended');
  const after = parsePrometheus(await scrape(h));
  expect(after.get('switchboard_tool_calls_total{outcome="rejected",tool="secret"}')).toBe(1);
  expect(after.get('switchboard_tool_calls_total{outcome="ok",tool="secret"}')).toBeUndefined();
});

test("a local MCP server's listed tools keep their names: an answer is ok, a failure an error, while the call goes on", async () => {
  const mcp = startHttpMcp();
  const yaml = `
agents:
  desk: { instructions: Help., mcp_servers: [orders] }
mcp_servers:
  orders: { url: "${mcp.url}" }
`;
  try {
    await using h = await startHarness({ yaml, settings: { metricsPublic: true } });
    const { call, upstream } = await liveCall(h);
    for (const [name, args] of [['lookup_order', { order_id: 'A1' }], ['broken', {}]] as const) {
      const { callId } = await upstream.callTool(name, args);
      await upstream.waitFor('conversation.item.create', (e) => e.item?.type === 'function_call_output' && e.item.call_id === callId);
    }
    const during = parsePrometheus(await scrape(h));
    expect(during.get('switchboard_tool_calls_total{outcome="ok",tool="lookup_order"}')).toBe(1);
    expect(during.get('switchboard_tool_calls_total{outcome="error",tool="broken"}')).toBe(1);
    expect(toolSeries(await scrape(h)).labels).toEqual(['broken', 'lookup_order']);
    await call.hangup();
  } finally {
    await mcp.server.stop(true);
  }
});
