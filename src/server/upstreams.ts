// Where the server's Realtime sessions come from: opened for a call's stream, or pre-warmed at the
// webhook, each remembering the AgentSet it was opened with. A stream adopts its pre-warmed
// session only if that is its own config's: one opened before a reload is closed and replaced.
// Every session reports to /metrics (connect time, each reply) and to /readyz (the API works).
import type { AgentSet } from '../agents/compile.ts';
import type { CallFacts } from '../agents/line.ts';
import { Upstream } from '../call/upstream.ts';
import { errorMessage, type Logger } from '../log/logger.ts';
import type { Metrics } from '../metrics/metrics.ts';
import type { Readiness } from './preflight.ts';
import type { ServerSettings } from './settings.ts';

export interface UpstreamsOptions {
  settings: ServerSettings;
  log: Logger;
  metrics: Metrics;
  readiness: Readiness;
}

export class Upstreams {
  readonly #options: UpstreamsOptions;
  /** Which AgentSet each session was opened with. */
  readonly #setOf = new WeakMap<Upstream, AgentSet>();

  constructor(options: UpstreamsOptions) {
    this.#options = options;
  }

  /** A new session of `agentSet` for a call (or its pre-warm). */
  open(agentSet: AgentSet, agentId: string, facts: CallFacts): Upstream {
    const { settings, log, metrics, readiness } = this.#options;
    const upstream = new Upstream({
      agentSet,
      agentId,
      facts,
      apiKey: settings.apiKey,
      url: settings.upstreamUrl,
      connectTimeoutMs: agentSet.config.limits.connect_timeout_seconds * 1000,
      audioPath: settings.audioPath,
      log: log.child({ callSid: facts.sid }),
      onReply: (ms) => metrics.replied(ms),
    });
    this.#setOf.set(upstream, agentSet);
    upstream.ready.then(() => {
      readiness.upstreamOpened();
      metrics.upstreamConnected(upstream.connectMs ?? 0);
    }, () => {});
    return upstream;
  }

  /** A session opened at the webhook, before its stream comes (see prewarm.ts). */
  prewarm(agentSet: AgentSet, agentId: string, facts: CallFacts): Upstream {
    const upstream = this.open(agentSet, agentId, facts);
    // Said when it happens, while the caller still hears <Say>; the call ends with its fallback.
    upstream.ready.catch((error: unknown) => upstream.log.warn('pre-warmed session failed', { error: errorMessage(error) }));
    return upstream;
  }

  /** The session a stream of `agentSet` gets: `warm` (its pre-warmed one) if opened with that set, else a new one. */
  adopt(agentSet: AgentSet, warm: Upstream | undefined, agentId: string, facts: CallFacts): Upstream {
    if (warm && this.#setOf.get(warm) === agentSet) return warm;
    warm?.close();
    return this.open(agentSet, agentId, facts);
  }
}
