// The table: one row per metric, switchboard against the baseline, with the goals. A goal
// is judged on switchboard's number only; the ratio is there for every row.
import type { TargetSummary } from './metrics.ts';

export interface GoalRow {
  metric: string;
  switchboard: number;
  baseline: number;
  ratio: number | null;
  goal: string;
  met: boolean | null;
  /** Decimals worth printing. */
  digits: number;
}

interface RowSpec {
  metric: string;
  pick: (s: TargetSummary) => number;
  digits: number;
  goal?: string;
  met?: (switchboard: number, baseline: number) => boolean;
}

const P99_GOAL_MS = 5;

function rowSpecs(callerFrames: number, calls: number, modelFrames: number): RowSpec[] {
  return [
    { metric: 'CPU s per call-minute', pick: (s) => s.cpuPerCallMinute, digits: 4, goal: '<= 0.5 x baseline', met: (a, b) => a <= 0.5 * b },
    { metric: 'RSS per concurrent call (KiB)', pick: (s) => s.rssPerCallKiB, digits: 0, goal: '<= 150', met: (a) => a <= 150 },
    { metric: 'uplink p50 (ms)', pick: (s) => s.uplinkP50, digits: 2 },
    { metric: 'uplink p99 (ms)', pick: (s) => s.uplinkP99, digits: 2, goal: `<= ${P99_GOAL_MS}`, met: (a) => a <= P99_GOAL_MS },
    { metric: 'uplink p99, all calls up and past set-up (ms)', pick: (s) => s.steadyUplinkP99, digits: 2 },
    { metric: 'uplink p99 of frames sent before upstream ready (ms)', pick: (s) => s.heldUplinkP99, digits: 1 },
    { metric: 'downlink p50 (ms)', pick: (s) => s.downlinkP50, digits: 2 },
    { metric: 'downlink p99 (ms)', pick: (s) => s.downlinkP99, digits: 2, goal: `<= ${P99_GOAL_MS}`, met: (a) => a <= P99_GOAL_MS },
    { metric: 'downlink p99, all calls up and past set-up (ms)', pick: (s) => s.steadyDownlinkP99, digits: 2 },
    { metric: `caller frames lost (of ${callerFrames})`, pick: (s) => s.callerFramesLost, digits: 0, goal: '0', met: (a) => a === 0 },
    { metric: '  of which at call start', pick: (s) => s.callerFramesLostAtStart, digits: 0, goal: '0', met: (a) => a === 0 },
    { metric: 'stream start to upstream ready p50 (ms)', pick: (s) => s.readyP50, digits: 1 },
    { metric: 'stream start to upstream ready p99 (ms)', pick: (s) => s.readyP99, digits: 1, goal: '<= 5 (webhook >= connect time earlier)', met: (a) => a <= 5 },
    { metric: 'upstream connect began before stream start, p50 (ms)', pick: (s) => s.connectLeadP50, digits: 1 },
    { metric: 'upstream accepted to session.update, p99 (ms)', pick: (s) => s.setupP99, digits: 1 },
    { metric: 'cold start, exec to first 200 on / (ms, median)', pick: (s) => s.coldStartMs, digits: 1, goal: '<= 80', met: (a) => a <= 80 },
    { metric: 'cold start, unpinned (ms, median)', pick: (s) => s.unpinnedColdStartMs, digits: 1 },
    { metric: `calls completed (of ${calls})`, pick: (s) => s.completed, digits: 0, goal: `${calls}`, met: (a) => a === calls },
    { metric: `model frames delivered (of ~${modelFrames})`, pick: (s) => s.modelFramesDelivered, digits: 0 },
    { metric: 'target core busy during load (%)', pick: (s) => s.targetCoreBusy * 100, digits: 0 },
    { metric: 'load core busy during load (%)', pick: (s) => s.loadCoreBusy * 100, digits: 0 },
    { metric: 'other processes during load (% of a core)', pick: (s) => s.otherCpuBusy * 100, digits: 0 },
  ];
}

export function goalRows(switchboard: TargetSummary, baseline: TargetSummary): GoalRow[] {
  const specs = rowSpecs(switchboard.callerFramesSent, switchboard.calls, switchboard.modelFramesSent);
  return specs.map((spec) => {
    const a = spec.pick(switchboard);
    const b = spec.pick(baseline);
    return {
      metric: spec.metric,
      switchboard: a,
      baseline: b,
      // A ratio of signed or missing values says nothing.
      ratio: Number.isFinite(a) && Number.isFinite(b) && a >= 0 && b > 0 ? a / b : null,
      goal: spec.goal ?? '',
      met: spec.met ? spec.met(a, b) : null,
      digits: spec.digits,
    };
  });
}

export function markdownTable(rows: GoalRow[]): string {
  const format = (value: number, digits: number) => (Number.isFinite(value) ? value.toFixed(digits) : 'n/a');
  const lines = ['| metric | switchboard | baseline | ratio | goal | met? |', '|---|---:|---:|---:|---|---|'];
  for (const row of rows) {
    const ratio = row.ratio === null ? '–' : row.ratio.toFixed(2);
    const met = row.met === null ? '' : row.met ? 'yes' : '**no**';
    lines.push(`| ${row.metric} | ${format(row.switchboard, row.digits)} | ${format(row.baseline, row.digits)} | ${ratio} | ${row.goal} | ${met} |`);
  }
  return lines.join('\n');
}
