import { expect, test } from 'bun:test';
import { parsePrometheus } from '../../test/prometheus.ts';
import { MAX_LISTED_TOOL_LABELS } from './labels.ts';
import { Metrics } from './metrics.ts';

const ended = (endReason = 'idle') => ({
  framesIn: 10,
  framesOut: 4,
  framesHeld: 2,
  record: { callSid: 'CA1', endReason, startedAt: 0, endedAt: 61_000, rejectedFrames: { not_json: 1 } },
});

test('an ended call: its end reason, length and frames', async () => {
  const metrics = new Metrics();
  metrics.callEnded(ended());
  const s = parsePrometheus(await metrics.registry.metrics());
  expect(s.get('switchboard_calls_ended_total{reason="idle"}')).toBe(1);
  expect(s.get('switchboard_call_duration_seconds_bucket{le="120"}')).toBe(1);
  expect(s.get('switchboard_call_duration_seconds_bucket{le="60"}')).toBe(0);
  expect(metrics.ended).toMatchObject({ in: 10, out: 4, held: 2 });
  expect(metrics.ended.rejected.get('not_json')).toBe(1);
});

test('an end reason that is not one of EndReason is counted as reason="other"', async () => {
  const metrics = new Metrics();
  metrics.callEnded(ended('made_up_by_someone'));
  const s = parsePrometheus(await metrics.registry.metrics());
  expect(s.get('switchboard_calls_ended_total{reason="other"}')).toBe(1);
  expect([...s.keys()].some((k) => k.includes('made_up_by_someone'))).toBe(false);
});

test('each tool run counts as it ends: declared tools by name, with outcome and duration', async () => {
  const declared = new Set(['refund', 'lookup', 'docs_search']);
  const metrics = new Metrics({ declaresTool: (name) => declared.has(name) });
  metrics.toolRan({ name: 'refund', outcome: 'rejected', durationMs: 3 });
  metrics.toolRan({ name: 'refund', outcome: 'ok', durationMs: 250 });
  metrics.toolRan({ name: 'lookup', outcome: 'error', durationMs: 5000 });
  metrics.toolRan({ name: 'docs_search', outcome: 'ok' }); // a hosted MCP call: no duration
  const s = parsePrometheus(await metrics.registry.metrics());
  expect(s.get('switchboard_tool_calls_total{outcome="rejected",tool="refund"}')).toBe(1);
  expect(s.get('switchboard_tool_calls_total{outcome="ok",tool="refund"}')).toBe(1);
  expect(s.get('switchboard_tool_calls_total{outcome="error",tool="lookup"}')).toBe(1);
  expect(s.get('switchboard_tool_calls_total{outcome="ok",tool="docs_search"}')).toBe(1);
  expect(s.get('switchboard_tool_call_duration_seconds_count{tool="refund"}')).toBe(2);
  expect(s.get('switchboard_tool_call_duration_seconds_count{tool="docs_search"}')).toBeUndefined();
});

test('tool names the config does not declare are one label, "other", however many there are', async () => {
  const metrics = new Metrics({ declaresTool: (name) => name === 'weather' });
  for (let i = 0; i < 1000; i++) metrics.toolRan({ name: `evil_${i}`, outcome: 'ok', durationMs: 1 });
  metrics.toolRan({ name: 'weather', outcome: 'ok', durationMs: 1 });
  const s = parsePrometheus(await metrics.registry.metrics());
  expect(s.get('switchboard_tool_calls_total{outcome="ok",tool="other"}')).toBe(1000);
  expect(s.get('switchboard_tool_call_duration_seconds_count{tool="other"}')).toBe(1000);
  expect(toolLabels(s)).toEqual(['other', 'weather']);
});

test('hosted MCP tools a configured server listed keep their names, up to a bound; the rest are "other"', async () => {
  const metrics = new Metrics();
  for (let i = 0; i < MAX_LISTED_TOOL_LABELS + 20; i++) metrics.toolRan({ name: `listed_${i}`, outcome: 'ok', listed: true });
  metrics.toolRan({ name: 'listed_0', outcome: 'ok', listed: true });
  metrics.toolRan({ name: 'not_listed', outcome: 'ok', listed: false });
  metrics.toolRan({ name: 'x'.repeat(500), outcome: 'ok', listed: true });
  const s = parsePrometheus(await metrics.registry.metrics());
  expect(s.get('switchboard_tool_calls_total{outcome="ok",tool="listed_0"}')).toBe(2);
  expect(s.get(`switchboard_tool_calls_total{outcome="ok",tool="listed_${MAX_LISTED_TOOL_LABELS - 1}"}`)).toBe(1);
  expect(s.get('switchboard_tool_calls_total{outcome="ok",tool="other"}')).toBe(20 + 2);
  expect(toolLabels(s)).toHaveLength(MAX_LISTED_TOOL_LABELS + 1);
});

/** The distinct `tool` label values of switchboard_tool_calls_total. */
function toolLabels(s: Map<string, number>): string[] {
  const labels = [...s.keys()].filter((k) => k.startsWith('switchboard_tool_calls_total{')).map((k) => /tool="([^"]*)"/.exec(k)![1]!);
  return [...new Set(labels)].sort();
}

test('reloads: counted by result, and whether the last one applied', async () => {
  const metrics = new Metrics();
  metrics.reloaded(true);
  metrics.reloaded(false);
  const s = parsePrometheus(await metrics.registry.metrics());
  expect(s.get('switchboard_config_reloads_total{result="ok"}')).toBe(1);
  expect(s.get('switchboard_config_reloads_total{result="failed"}')).toBe(1);
  expect(s.get('switchboard_config_last_reload_successful')).toBe(0);
});

test('event loop delay: a stall shows as the longest delay, and each scrape starts afresh', async () => {
  const metrics = new Metrics();
  await metrics.registry.metrics(); // whatever came before this test
  await Bun.sleep(50);
  const stalled = performance.now();
  while (performance.now() - stalled < 80) {
    // the event loop is blocked
  }
  await Bun.sleep(50);
  const s = parsePrometheus(await metrics.registry.metrics());
  expect(s.get('switchboard_event_loop_delay_seconds{quantile="1"}')).toBeGreaterThanOrEqual(0.06);
  await Bun.sleep(100);
  const after = parsePrometheus(await metrics.registry.metrics());
  expect(after.get('switchboard_event_loop_delay_seconds{quantile="1"}')).toBeLessThan(0.06);
  expect(after.get('switchboard_event_loop_delay_seconds{quantile="0.5"}')).toBeLessThan(0.06);
});
