import { expect, test } from 'bun:test';
import { END_REASONS, type EndReason } from '../../call/end-reason.ts';
import { layoutChart } from './chart.ts';
import { duration, offset } from './format.ts';
import { endCategory, explainEndReason } from './words.ts';

test('every end reason a call can have is explained in words and grouped', () => {
  // Typed against call/end-reason.ts: a new end reason fails to compile here until it is listed.
  const all: Record<EndReason, 'completed' | 'failed'> = {
    caller_hangup: 'completed', agent_hangup: 'completed', transferred: 'completed',
    stream_closed: 'failed', bad_token: 'failed', no_start: 'failed', unknown_agent: 'failed', frame_too_large: 'failed',
    upstream_failed: 'failed', upstream_timeout: 'failed', upstream_closed: 'failed', max_duration: 'failed', idle: 'failed', shutdown: 'failed',
  };
  expect<string[]>([...END_REASONS].sort()).toEqual(Object.keys(all).sort());
  for (const [reason, category] of Object.entries(all)) {
    expect(endCategory(reason)).toBe(category);
    expect(explainEndReason(reason)).not.toContain('does not know');
  }
  expect(explainEndReason('martians')).toBe('Ended with "martians", a reason this console does not know.');
  expect(endCategory(null)).toBe('live');
});

test('durations and offsets read as a person would say them', () => {
  expect([duration(840), duration(1999), duration(2000), duration(94_000), duration(125_400)]).toEqual(['840 ms', '1999 ms', '2 s', '94 s', '2 min 5 s']);
  expect([offset(1000, 1000), offset(66_500, 1000), offset(0, 1000)]).toEqual(['+0:00', '+1:05', '+0:00']);
});

test('the chart stacks each hour by how calls ended, on whole-number gridlines above the highest bar', () => {
  const { bars, ticks } = layoutChart(
    [
      { start: 0, byReason: {} },
      { start: 3_600_000, byReason: { caller_hangup: 3, idle: 1, live: 1 } },
      { start: 7_200_000, byReason: { upstream_failed: 2 } },
    ],
    300,
    100,
  );
  expect(bars.map((b) => [b.x, b.width, b.total])).toEqual([[15, 70, 0], [115, 70, 5], [215, 70, 2]]);
  expect(ticks.map((t) => t.value)).toEqual([0, 2, 4, 6]);
  expect(bars[1]!.segments.map((s) => [s.category, s.calls])).toEqual([['completed', 3], ['failed', 1], ['live', 1]]);
  // Stacked from the bottom (y = 100) up, in proportion to the top gridline (6 calls).
  const [completed, failed, live] = bars[1]!.segments;
  expect(completed!.y + completed!.height).toBeCloseTo(100);
  expect(completed!.height).toBeCloseTo(50);
  expect(failed!.y + failed!.height).toBeCloseTo(completed!.y);
  expect(live!.y).toBeCloseTo(100 - (5 / 6) * 100);
  expect(layoutChart([{ start: 0, byReason: {} }], 10, 10).ticks.map((t) => t.value)).toEqual([0, 1]);
});
