// The server's metrics in Prometheus text (prom-client). What happens once per call, turn or tool
// run is recorded as it happens; what happens per audio frame is only counted, in plain integer
// fields on each Call, and read from them when /metrics is scraped (see collect.ts). Label values
// come from the config and the code, never from a peer (see labels.ts).
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { MAX_TOOL_NAME_CHARS, type ToolRunEnded } from '../call/tool-runs.ts';
import { registerEventLoopDelay } from './event-loop.ts';
import { endReasonLabel, MAX_LISTED_TOOL_LABELS, OTHER_LABEL } from './labels.ts';

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
  };
}

export interface MetricsOptions {
  /**
   * Whether the config now in force names a tool (see labels.ts declaresTool): only those get a
   * `tool` label of their own. Default: none does.
   */
  declaresTool?: (name: string) => boolean;
}

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
  readonly #declaresTool: (name: string) => boolean;
  /** Hosted MCP tools a configured server listed, given labels of their own (at most MAX_LISTED_TOOL_LABELS). */
  readonly #listedTools = new Set<string>();

  constructor({ declaresTool = () => false }: MetricsOptions = {}) {
    this.#declaresTool = declaresTool;
    const registers = [this.registry];
    registerEventLoopDelay(this.registry);
    this.#callsEnded = new Counter({ name: 'switchboard_calls_ended_total', help: 'Calls ended, by end reason (see docs/operations.md, Failure behaviour).', labelNames: ['reason'], registers });
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
    this.#toolCalls = new Counter({
      name: 'switchboard_tool_calls_total',
      help: 'Tool runs as each ends, by tool and outcome (ok, error, rejected); tools the config does not name are counted as tool="other".',
      labelNames: ['tool', 'outcome'],
      registers,
    });
    this.#toolSeconds = new Histogram({
      name: 'switchboard_tool_call_duration_seconds',
      help: 'Time a tool took, by tool, as each run ends (hosted MCP calls run at OpenAI and are not timed).',
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

  /** A call's end: its tool runs were counted as each ended (toolRan). */
  callEnded(call: EndedCall): void {
    const { record } = call;
    this.#callsEnded.inc({ reason: endReasonLabel(record.endReason) });
    if (record.callSid && record.endedAt !== undefined) this.#callSeconds.observe((record.endedAt - record.startedAt) / 1000);
    this.ended.add(call);
  }

  /** A tool run that has ended (call/tool-runs.ts): failed, rejected by the approvals policy, or ok. */
  toolRan(run: ToolRunEnded): void {
    const tool = this.#toolLabel(run);
    this.#toolCalls.inc({ tool, outcome: run.outcome });
    if (run.durationMs !== undefined) this.#toolSeconds.observe({ tool }, run.durationMs / 1000);
  }

  /** A Realtime session became ready: its Upstream's connectMs. */
  upstreamConnected(ms: number): void {
    this.#connectSeconds.observe(ms / 1000);
  }

  /** One wait for the agent's answer, as the call's timings watch measured it (call/timings.ts). */
  replied(ms: number): void {
    this.#replySeconds.observe(ms / 1000);
  }

  /**
   * The config's own name for a tool it names; a hosted MCP tool that a configured server listed
   * to the session keeps its name too, for the first MAX_LISTED_TOOL_LABELS such names (a server
   * may list any number); everything else, whatever the upstream calls it, is `other`.
   */
  #toolLabel({ name, listed }: ToolRunEnded): string {
    if (this.#declaresTool(name) || this.#listedTools.has(name)) return name;
    if (listed && name.length <= MAX_TOOL_NAME_CHARS && this.#listedTools.size < MAX_LISTED_TOOL_LABELS) {
      this.#listedTools.add(name);
      return name;
    }
    return OTHER_LABEL;
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
