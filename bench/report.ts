// The table: one row per metric, a column per target, switchboard's ratio to the baseline and to
// the floor on every row, and the goals (for 200 concurrent calls with one core for the
// server). A goal is judged on switchboard's number only.
import type { TargetSummary } from './metrics.ts';
import type { TargetName } from './targets.ts';

export interface GoalRow {
  metric: string;
  /** One number per target that ran (NaN: not measured). */
  values: Partial<Record<TargetName, number>>;
  /** switchboard / baseline and switchboard / floor; null where a ratio says nothing. */
  vsBaseline: number | null;
  vsFloor: number | null;
  goal: string;
  met: boolean | null;
  /** Decimals worth printing. */
  digits: number;
}

/** switchboard's, the baseline's and the floor's number of a row, for judging a goal. */
interface Sides {
  switchboard: number;
  baseline: number;
  floor: number;
}

interface RowSpec {
  metric: string;
  pick: (s: TargetSummary) => number;
  digits: number;
  goal?: string;
  met?: (v: Sides) => boolean;
}

const P99_GOAL_MS = 10;
const COLD_START_GOAL_MS = 120;

function rowSpecs(callerFrames: number, calls: number, modelFrames: number): RowSpec[] {
  const p99 = { goal: `<= ${P99_GOAL_MS}`, met: (v: Sides) => v.switchboard <= P99_GOAL_MS };
  return [
    {
      metric: 'CPU s per call-minute',
      pick: (s) => s.cpuPerCallMinute,
      digits: 4,
      goal: '<= 0.4 x baseline and <= 1.5 x floor',
      met: (v) => v.switchboard <= 0.4 * v.baseline && v.switchboard <= 1.5 * v.floor,
    },
    { metric: 'RSS per concurrent call (KiB)', pick: (s) => s.rssPerCallKiB, digits: 0, goal: '<= 0.8 x baseline', met: (v) => v.switchboard <= 0.8 * v.baseline },
    { metric: 'uplink p50 (ms)', pick: (s) => s.uplinkP50, digits: 2 },
    { metric: 'uplink p99 (ms)', pick: (s) => s.uplinkP99, digits: 2, ...p99 },
    { metric: 'uplink p99, all calls up and past set-up (ms)', pick: (s) => s.steadyUplinkP99, digits: 2 },
    { metric: 'uplink p99 of frames sent before upstream ready (ms)', pick: (s) => s.heldUplinkP99, digits: 1 },
    { metric: 'downlink p50 (ms)', pick: (s) => s.downlinkP50, digits: 2 },
    { metric: 'downlink p99 (ms)', pick: (s) => s.downlinkP99, digits: 2, ...p99 },
    { metric: 'downlink p99, all calls up and past set-up (ms)', pick: (s) => s.steadyDownlinkP99, digits: 2 },
    { metric: "event loop delay p99 during load (ms, the target's own)", pick: (s) => s.loopDelayP99, digits: 2 },
    { metric: 'event loop delay max during load (ms)', pick: (s) => s.loopDelayMax, digits: 1 },
    { metric: `caller frames lost (of ${callerFrames})`, pick: (s) => s.callerFramesLost, digits: 0, goal: '0', met: (v) => v.switchboard === 0 },
    { metric: '  of which at call start', pick: (s) => s.callerFramesLostAtStart, digits: 0 },
    { metric: 'stream start to upstream ready p50 (ms)', pick: (s) => s.readyP50, digits: 1 },
    { metric: 'stream start to upstream ready p99 (ms)', pick: (s) => s.readyP99, digits: 1 },
    { metric: 'upstream connect began before stream start, p50 (ms)', pick: (s) => s.connectLeadP50, digits: 1 },
    { metric: 'upstream accepted to session.update, p99 (ms)', pick: (s) => s.setupP99, digits: 1 },
    {
      metric: 'cold start, exec to first 200 on / (ms, median)',
      pick: (s) => s.coldStartMs,
      digits: 1,
      goal: `<= ${COLD_START_GOAL_MS}`,
      met: (v) => v.switchboard <= COLD_START_GOAL_MS,
    },
    { metric: 'cold start, unpinned (ms, median)', pick: (s) => s.unpinnedColdStartMs, digits: 1 },
    { metric: `calls completed (of ${calls})`, pick: (s) => s.completed, digits: 0, goal: `${calls} (100%)`, met: (v) => v.switchboard === calls },
    { metric: `model frames delivered (of ~${modelFrames})`, pick: (s) => s.modelFramesDelivered, digits: 0 },
    { metric: 'target core busy during load (%)', pick: (s) => s.targetCoreBusy * 100, digits: 0 },
    { metric: 'load core busy during load (%)', pick: (s) => s.loadCoreBusy * 100, digits: 0 },
    { metric: 'other processes during load (% of a core)', pick: (s) => s.otherCpuBusy * 100, digits: 0 },
  ];
}

/** A ratio of signed or missing values says nothing. */
const ratio = (a: number, b: number) => (Number.isFinite(a) && Number.isFinite(b) && a >= 0 && b > 0 ? a / b : null);

/** `summaries` holds every target that ran; switchboard, baseline and floor always run. */
export function goalRows(summaries: Partial<Record<TargetName, TargetSummary>>): GoalRow[] {
  const { switchboard, baseline, floor } = summaries;
  if (!switchboard || !baseline || !floor) throw new Error('the table needs switchboard, baseline and floor');
  const names = Object.keys(summaries) as TargetName[];
  return rowSpecs(switchboard.callerFramesSent, switchboard.calls, switchboard.modelFramesSent).map((spec) => {
    const sides = { switchboard: spec.pick(switchboard), baseline: spec.pick(baseline), floor: spec.pick(floor) };
    return {
      metric: spec.metric,
      values: Object.fromEntries(names.map((name) => [name, spec.pick(summaries[name]!)])),
      vsBaseline: ratio(sides.switchboard, sides.baseline),
      vsFloor: ratio(sides.switchboard, sides.floor),
      goal: spec.goal ?? '',
      met: spec.met ? spec.met(sides) : null,
      digits: spec.digits,
    };
  });
}

/** Columns in `columns` order (the order the targets ran in). */
export function markdownTable(rows: GoalRow[], columns: TargetName[]): string {
  const format = (value: number | undefined, digits: number) => (value !== undefined && Number.isFinite(value) ? value.toFixed(digits) : 'n/a');
  const formatRatio = (r: number | null) => (r === null ? '–' : r.toFixed(2));
  const lines = [
    `| metric | ${columns.join(' | ')} | switchboard / baseline | switchboard / floor | goal | met? |`,
    `|---|${columns.map(() => '---:|').join('')}---:|---:|---|---|`,
  ];
  for (const row of rows) {
    const met = row.met === null ? '' : row.met ? 'yes' : '**no**';
    const values = columns.map((name) => format(row.values[name], row.digits)).join(' | ');
    lines.push(`| ${row.metric} | ${values} | ${formatRatio(row.vsBaseline)} | ${formatRatio(row.vsFloor)} | ${row.goal} | ${met} |`);
  }
  return lines.join('\n');
}
