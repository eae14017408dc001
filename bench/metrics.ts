// From what one round recorded (the load's JSON, the upstream's sessions, /proc readings) to the
// numbers the benchmark reports, and from several rounds of a target to one column of the table.
import { percentiles } from '../src/simulate/stamp.ts';
import type { LoopDelay } from './loop-delay.ts';
import type { UpstreamSession } from './upstream.ts';

export type Percentiles = ReturnType<typeof percentiles>;

/** What `switchboard simulate --json` prints (the fields the benchmark reads). */
export interface LoadReport {
  calls: number;
  completed: number;
  failed: number;
  errors: string[];
  framesSent: number;
  framesReceived: number;
  marks: number;
  clears: number;
  firstAudioMs: Percentiles;
  downlinkMs: Percentiles;
  downlinkSteadyMs: Percentiles;
  streams: { index: number; callSid: string; startSentAt: number; framesSent: number }[];
}

export interface RoundReadings {
  calls: number;
  seconds: number;
  connectDelayMs: number;
  load: LoadReport;
  sessions: readonly UpstreamSession[];
  uplinkMs: readonly number[];
  uplinkSentAt: readonly number[];
  heldUplinkMs: readonly number[];
  /** Seconds of the load window (the load process's lifetime). */
  windowSeconds: number;
  targetCpuSeconds: number;
  /** The load process, and the runner (which hosts the fake upstream): they share the load core. */
  loadCpuSeconds: number;
  runnerCpuSeconds: number;
  /** Everything else the machine ran during the window (other users' processes, the kernel). */
  otherCpuSeconds: number;
  idleRssKiB: number;
  loadedRssKiB: number;
  peakRssKiB: number;
  /** The target's event loop delay over the load; null if it could not be read. */
  loopDelay: LoopDelay | null;
}

export interface CallOutcome {
  index: number;
  framesSent: number;
  /** Caller frames that never reached the upstream. */
  lost: number;
  /** ... of which before the first one that did (dropped while the upstream was connecting). */
  lostAtStart: number;
  /** Stream start to upstream ready (first session.update), ms, 0 if it was ready before. */
  readyMs: number | null;
  /** How long before the stream started the bridge began connecting upstream, ms (negative: after). */
  connectLeadMs: number | null;
  /** Upstream accepted to session.update: the bridge's own setup time, ms. */
  setupMs: number | null;
}

export interface RoundMetrics {
  calls: number;
  completed: number;
  failed: number;
  errors: string[];
  cpuPerCallMinute: number;
  rssPerCallKiB: number;
  idleRssKiB: number;
  loadedRssKiB: number;
  peakRssKiB: number;
  targetCoreBusy: number;
  loadCoreBusy: number;
  /** The runner's share of loadCoreBusy: the fake upstream must stay a small part of the load. */
  runnerBusy: number;
  otherCpuBusy: number;
  uplinkMs: Percentiles;
  steadyUplinkMs: Percentiles;
  heldUplinkMs: Percentiles;
  downlinkMs: Percentiles;
  steadyDownlinkMs: Percentiles;
  firstAudioMs: Percentiles;
  /** NaN where it could not be read. */
  loopDelayMs: LoopDelay;
  callerFramesSent: number;
  callerFramesLost: number;
  callerFramesLostAtStart: number;
  callsLosingFrames: number;
  readyMs: Percentiles;
  connectLeadMs: Percentiles;
  setupMs: Percentiles;
  callsWithoutUpstream: number;
  modelFramesSent: number;
  modelFramesDelivered: number;
  /** Things that make this round's numbers suspect; empty when it measured what it claims. */
  warnings: string[];
  outcomes: CallOutcome[];
}

/** Steady state starts this long after the last call started: its set-up is over by then. */
const STEADY_AFTER_MS = 2000;

const known = <T>(values: (T | null)[]): T[] => values.filter((v): v is T => v !== null);

export function callOutcomes(load: LoadReport, sessions: readonly UpstreamSession[], connectDelayMs: number): CallOutcome[] {
  // A session belongs to the call whose stamped audio it carried.
  const byStream = new Map<number, UpstreamSession>();
  for (const s of sessions) if (s.stream !== null) byStream.set(s.stream, s);
  return load.streams.map(({ index, startSentAt, framesSent }) => {
    const s = byStream.get(index);
    const received = s?.seqs.size ?? 0;
    const first = s && received > 0 ? Math.min(...s.seqs) : framesSent;
    const readyAt = s?.readyAt ?? null;
    return {
      index,
      framesSent,
      lost: framesSent - received,
      lostAtStart: first,
      readyMs: readyAt === null || startSentAt === 0 ? null : Math.max(0, readyAt - startSentAt),
      connectLeadMs: s && startSentAt > 0 ? startSentAt - s.upgradeAt : null,
      setupMs: readyAt === null || !s ? null : readyAt - s.upgradeAt - connectDelayMs,
    };
  });
}

/** Latency of frames sent while every call was up and past its set-up, until the first hang-up. */
function steadyUplink(r: RoundReadings): Percentiles {
  const starts = r.load.streams.map((s) => s.startSentAt).filter((t) => t > 0);
  if (starts.length === 0) return percentiles([]);
  const from = Math.max(...starts) + STEADY_AFTER_MS;
  const to = Math.min(...starts) + r.seconds * 1000;
  return percentiles(r.uplinkMs.filter((_, i) => r.uplinkSentAt[i]! >= from && r.uplinkSentAt[i]! <= to));
}

export function roundMetrics(r: RoundReadings): RoundMetrics {
  const outcomes = callOutcomes(r.load, r.sessions, r.connectDelayMs);
  const callMinutes = (r.calls * r.seconds) / 60;
  const modelFramesSent = r.sessions.reduce((n, s) => n + s.framesSpoken, 0);
  const metrics: RoundMetrics = {
    calls: r.load.calls,
    completed: r.load.completed,
    failed: r.load.failed,
    errors: r.load.errors,
    cpuPerCallMinute: r.targetCpuSeconds / callMinutes,
    rssPerCallKiB: (r.loadedRssKiB - r.idleRssKiB) / r.calls,
    idleRssKiB: r.idleRssKiB,
    loadedRssKiB: r.loadedRssKiB,
    peakRssKiB: r.peakRssKiB,
    targetCoreBusy: r.targetCpuSeconds / r.windowSeconds,
    loadCoreBusy: (r.loadCpuSeconds + r.runnerCpuSeconds) / r.windowSeconds,
    runnerBusy: r.runnerCpuSeconds / r.windowSeconds,
    otherCpuBusy: r.otherCpuSeconds / r.windowSeconds,
    uplinkMs: percentiles([...r.uplinkMs]),
    steadyUplinkMs: steadyUplink(r),
    heldUplinkMs: percentiles([...r.heldUplinkMs]),
    downlinkMs: r.load.downlinkMs,
    steadyDownlinkMs: r.load.downlinkSteadyMs,
    firstAudioMs: r.load.firstAudioMs,
    loopDelayMs: r.loopDelay ?? { p50Ms: NaN, p99Ms: NaN, maxMs: NaN },
    callerFramesSent: r.load.framesSent,
    callerFramesLost: outcomes.reduce((n, o) => n + o.lost, 0),
    callerFramesLostAtStart: outcomes.reduce((n, o) => n + o.lostAtStart, 0),
    callsLosingFrames: outcomes.filter((o) => o.lost > 0).length,
    readyMs: percentiles(known(outcomes.map((o) => o.readyMs))),
    connectLeadMs: percentiles(known(outcomes.map((o) => o.connectLeadMs))),
    setupMs: percentiles(known(outcomes.map((o) => o.setupMs))),
    callsWithoutUpstream: outcomes.filter((o) => o.readyMs === null).length,
    modelFramesSent,
    modelFramesDelivered: r.load.framesReceived,
    warnings: [],
    outcomes,
  };
  metrics.warnings = selfCheck(r, metrics);
  return metrics;
}

/** The benchmark checks itself: a round that measured less than it claims says so. */
function selfCheck(r: RoundReadings, m: RoundMetrics): string[] {
  const warnings: string[] = [];
  if (m.failed > 0) warnings.push(`${m.failed} of ${m.calls} calls failed: ${m.errors.slice(0, 3).join('; ')}`);
  if (m.callsWithoutUpstream > 0) warnings.push(`${m.callsWithoutUpstream} calls never reached a configured upstream session`);
  const strays = r.sessions.reduce((n, s) => n + s.strayFrames, 0);
  if (strays > 0) warnings.push(`${strays} caller frames reached another call's upstream session`);
  if (m.modelFramesSent > 0 && m.downlinkMs.count === 0) warnings.push('no model audio reached the callers: the fake upstream\'s events were not accepted');
  if (m.loadCoreBusy > 0.85) warnings.push(`the load core was ${Math.round(m.loadCoreBusy * 100)}% busy: latencies include queueing on the load side`);
  if (m.uplinkMs.count + m.heldUplinkMs.count === 0) warnings.push('no caller audio reached the upstream');
  if (r.loopDelay === null) warnings.push("the target's event loop delay could not be read");
  if (m.otherCpuBusy > 0.1) {
    warnings.push(`other processes kept ${Math.round(m.otherCpuBusy * 100)}% of a core busy during the load: the machine was not quiet`);
  }
  return warnings;
}

export interface TargetSummary {
  rounds: number;
  calls: number;
  completed: number;
  cpuPerCallMinute: number;
  rssPerCallKiB: number;
  uplinkP50: number;
  uplinkP99: number;
  steadyUplinkP99: number;
  heldUplinkP99: number;
  downlinkP50: number;
  downlinkP99: number;
  steadyDownlinkP99: number;
  loopDelayP99: number;
  loopDelayMax: number;
  callerFramesSent: number;
  callerFramesLost: number;
  callerFramesLostAtStart: number;
  readyP50: number;
  readyP99: number;
  connectLeadP50: number;
  setupP99: number;
  modelFramesSent: number;
  modelFramesDelivered: number;
  targetCoreBusy: number;
  loadCoreBusy: number;
  otherCpuBusy: number;
  coldStartMs: number;
  unpinnedColdStartMs: number;
}

/** A percentile of an empty sample is unknown, not 0. */
const known99 = (p: Percentiles) => (p.count === 0 ? NaN : p.p99);
const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / Math.max(1, values.length);
const max = (values: number[]) => Math.max(...values);
const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);
export const median = (values: number[]) => percentiles(values).p50;

/** Costs and medians are averaged over rounds; p99s take the worst round; losses add up. */
export function summarize(rounds: RoundMetrics[], coldStartsMs: { pinned: number[]; unpinned: number[] }): TargetSummary {
  const each = <T>(pick: (m: RoundMetrics) => T) => rounds.map(pick);
  return {
    rounds: rounds.length,
    calls: sum(each((m) => m.calls)),
    completed: sum(each((m) => m.completed)),
    cpuPerCallMinute: mean(each((m) => m.cpuPerCallMinute)),
    rssPerCallKiB: mean(each((m) => m.rssPerCallKiB)),
    uplinkP50: mean(each((m) => m.uplinkMs.p50)),
    uplinkP99: max(each((m) => m.uplinkMs.p99)),
    steadyUplinkP99: max(each((m) => known99(m.steadyUplinkMs))),
    heldUplinkP99: max(each((m) => known99(m.heldUplinkMs))),
    downlinkP50: mean(each((m) => m.downlinkMs.p50)),
    downlinkP99: max(each((m) => m.downlinkMs.p99)),
    steadyDownlinkP99: max(each((m) => known99(m.steadyDownlinkMs))),
    loopDelayP99: max(each((m) => m.loopDelayMs.p99Ms)),
    loopDelayMax: max(each((m) => m.loopDelayMs.maxMs)),
    callerFramesSent: sum(each((m) => m.callerFramesSent)),
    callerFramesLost: sum(each((m) => m.callerFramesLost)),
    callerFramesLostAtStart: sum(each((m) => m.callerFramesLostAtStart)),
    readyP50: mean(each((m) => m.readyMs.p50)),
    readyP99: max(each((m) => m.readyMs.p99)),
    connectLeadP50: mean(each((m) => m.connectLeadMs.p50)),
    setupP99: max(each((m) => m.setupMs.p99)),
    modelFramesSent: sum(each((m) => m.modelFramesSent)),
    modelFramesDelivered: sum(each((m) => m.modelFramesDelivered)),
    targetCoreBusy: mean(each((m) => m.targetCoreBusy)),
    loadCoreBusy: max(each((m) => m.loadCoreBusy)),
    otherCpuBusy: max(each((m) => m.otherCpuBusy)),
    coldStartMs: median(coldStartsMs.pinned),
    unpinnedColdStartMs: median(coldStartsMs.unpinned),
  };
}
