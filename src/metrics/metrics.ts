// The server's metrics in Prometheus text (prom-client). What happens once per call, turn or tool
// call is recorded as it happens; what happens per audio frame is only counted, in plain integer
// fields on each Call, and read from them when /metrics is scraped (see collect.ts).
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { registerEventLoopDelay } from './event-loop.ts';

/** What a Call counts on its frame path (plain fields; see call.ts). */
export interface FrameCounts {
  readonly framesIn: number;
  readonly framesOut: number;
  readonly framesHeld: number;
  readonly record: { readonly rejectedFrames: Readonly<Record<string, number>> };
}

/** A call that has ended, as onEnd sees it (its record; see call/record.ts). */
export interface EndedCall extends FrameCounts {
  readonly record: FrameCounts['record'] & {
    callSid?: string;
    endReason?: string;
    startedAt: number;
    endedAt?: number;
    tools: readonly { name: string; error?: string; durationMs?: number }[];
    approvals: readonly { tool: string; decision: 'approved' | 'rejected' }[];
  };
}

export type ToolOutcome = 'ok' | 'error' | 'rejected';

/** Frame counts of calls that have ended: live calls' counts are added at scrape time. */
export class FrameTotals {
  in = 0;
  out = 0;
  held = 0;
  readonly rejected = new Map<string, number>();

  add(call: FrameCounts): void {
    this.in += call.framesIn;
    this.out += call.framesOut;
    this.held += call.framesHeld;
    for (const [reason, n] of Object.entries(call.record.rejectedFrames)) this.rejected.set(reason, (this.rejected.get(reason) ?? 0) + n);
  }
}

export class Metrics {
  readonly registry = new Registry();
  readonly ended = new FrameTotals();
  readonly #callsEnded: Counter<'reason'>;
  readonly #callSeconds: Histogram;
  readonly #connectSeconds: Histogram;
  readonly #replySeconds: Histogram;
  readonly #toolCalls: Counter<'tool' | 'outcome'>;
  readonly #toolSeconds: Histogram<'tool'>;
  readonly #reloads: Counter<'result'>;
  readonly #lastReloadOk: Gauge;

  constructor() {
    const registers = [this.registry];
    registerEventLoopDelay(this.registry);
    this.#callsEnded = new Counter({ name: 'switchboard_calls_ended_total', help: 'Calls ended, by end reason (see README, Failure behaviour).', labelNames: ['reason'], registers });
    this.#callSeconds = new Histogram({
      name: 'switchboard_call_duration_seconds',
      help: 'Length of calls whose stream started, from the stream socket opening to the end.',
      buckets: [5, 15, 30, 60, 120, 300, 600, 1200, 1800, 3600],
      registers,
    });
    this.#connectSeconds = new Histogram({
      name: 'switchboard_upstream_connect_seconds',
      help: 'Realtime API handshake until the session is configured (pre-warmed sessions included).',
      buckets: [0.1, 0.2, 0.3, 0.5, 0.75, 1, 1.5, 2, 3, 5, 10],
      registers,
    });
    this.#replySeconds = new Histogram({
      name: 'switchboard_reply_latency_seconds',
      help: "From the Realtime API's speech_stopped (end of the caller's turn, after its VAD silence) to the first agent audio reaching switchboard; the phone network is not included.",
      buckets: [0.1, 0.25, 0.5, 0.75, 1, 1.5, 2, 3, 5, 10],
      registers,
    });
    this.#toolCalls = new Counter({ name: 'switchboard_tool_calls_total', help: 'Tool calls of ended calls, by tool and outcome (ok, error, rejected).', labelNames: ['tool', 'outcome'], registers });
    this.#toolSeconds = new Histogram({
      name: 'switchboard_tool_call_duration_seconds',
      help: 'Time a tool took, by tool, for ended calls (hosted MCP calls run at OpenAI and are not timed).',
      labelNames: ['tool'],
      buckets: [0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    });
    this.#reloads = new Counter({ name: 'switchboard_config_reloads_total', help: 'Config reloads (SIGHUP, serve --watch), by result (ok, failed).', labelNames: ['result'], registers });
    this.#lastReloadOk = new Gauge({ name: 'switchboard_config_last_reload_successful', help: '1 if the last reload applied (or none was tried), 0 if it failed and the previous config is still served.', registers });
    this.#lastReloadOk.set(1);
    // Both series exist from the start, so rate() and alerts see a 0 before the first reload.
    for (const result of ['ok', 'failed']) this.#reloads.inc({ result }, 0);
  }

  callEnded(call: EndedCall): void {
    const { record } = call;
    this.#callsEnded.inc({ reason: record.endReason ?? 'unknown' });
    if (record.callSid && record.endedAt !== undefined) this.#callSeconds.observe((record.endedAt - record.startedAt) / 1000);
    this.ended.add(call);
    // Tool runs are counted from the record (tool-runs.ts marks failures and times each run): a
    // call's tools show up when it ends. A rejected approval still ends as a run with the
    // rejection as its result, one per rejection.
    const rejections = new Map<string, number>();
    for (const a of record.approvals) if (a.decision === 'rejected') rejections.set(a.tool, (rejections.get(a.tool) ?? 0) + 1);
    for (const use of record.tools) {
      const rejected = use.error === undefined && (rejections.get(use.name) ?? 0) > 0;
      if (rejected) rejections.set(use.name, rejections.get(use.name)! - 1);
      this.#toolRun(use.name, use.error !== undefined ? 'error' : rejected ? 'rejected' : 'ok', use.durationMs);
    }
  }

  upstreamConnected(ms: number): void {
    this.#connectSeconds.observe(ms / 1000);
  }

  replied(ms: number): void {
    this.#replySeconds.observe(ms / 1000);
  }

  #toolRun(tool: string, outcome: ToolOutcome, ms?: number): void {
    this.#toolCalls.inc({ tool, outcome });
    if (ms !== undefined) this.#toolSeconds.observe({ tool }, ms / 1000);
  }

  reloaded(ok: boolean): void {
    this.#reloads.inc({ result: ok ? 'ok' : 'failed' });
    this.#lastReloadOk.set(ok ? 1 : 0);
  }

  /** GET /metrics. */
  async response(): Promise<Response> {
    return new Response(await this.registry.metrics(), { headers: { 'content-type': this.registry.contentType } });
  }
}
