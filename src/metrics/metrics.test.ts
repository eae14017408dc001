import { expect, test } from 'bun:test';
import { parsePrometheus } from '../../test/prometheus.ts';
import { Metrics } from './metrics.ts';

const ended = (tools: { name: string; error?: string; durationMs?: number }[], approvals: { tool: string; decision: 'approved' | 'rejected' }[]) => ({
  framesIn: 10,
  framesOut: 4,
  framesHeld: 2,
  record: { callSid: 'CA1', endReason: 'idle', startedAt: 0, endedAt: 61_000, rejectedFrames: { not_json: 1 }, tools, approvals },
});

test('an ended call: its end reason, length, frames and every tool run with its outcome', async () => {
  const metrics = new Metrics();
  metrics.callEnded(
    ended(
      [
        { name: 'refund', durationMs: 3 }, // rejected by the approvals policy
        { name: 'refund', durationMs: 250 },
        { name: 'lookup', error: 'the service did not answer', durationMs: 5000 },
        { name: 'docs_search' }, // a hosted MCP call: no duration
      ],
      [
        { tool: 'refund', decision: 'rejected' },
        { tool: 'refund', decision: 'approved' },
      ],
    ),
  );
  const s = parsePrometheus(await metrics.registry.metrics());
  expect(s.get('switchboard_calls_ended_total{reason="idle"}')).toBe(1);
  expect(s.get('switchboard_call_duration_seconds_bucket{le="120"}')).toBe(1);
  expect(s.get('switchboard_call_duration_seconds_bucket{le="60"}')).toBe(0);
  expect(s.get('switchboard_tool_calls_total{outcome="rejected",tool="refund"}')).toBe(1);
  expect(s.get('switchboard_tool_calls_total{outcome="ok",tool="refund"}')).toBe(1);
  expect(s.get('switchboard_tool_calls_total{outcome="error",tool="lookup"}')).toBe(1);
  expect(s.get('switchboard_tool_calls_total{outcome="ok",tool="docs_search"}')).toBe(1);
  expect(s.get('switchboard_tool_call_duration_seconds_count{tool="refund"}')).toBe(2);
  expect(s.get('switchboard_tool_call_duration_seconds_count{tool="docs_search"}')).toBeUndefined();
  expect(metrics.ended).toMatchObject({ in: 10, out: 4, held: 2 });
  expect(metrics.ended.rejected.get('not_json')).toBe(1);
});

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
