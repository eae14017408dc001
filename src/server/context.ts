// What the request handlers share: the compiled agents, settings, and the server's live state.
// server.ts builds it; the route handlers, call-ended.ts, status.ts and shutdown.ts read it.
import type { AgentSet } from '../agents/compile.ts';
import type { Call } from '../call/call.ts';
import type { Logger } from '../log/logger.ts';
import type { Metrics } from '../metrics/metrics.ts';
import type { Dialler } from '../outbound/dialler.ts';
import type { AuthAttempts } from './auth-attempts.ts';
import type { Endings } from './endings.ts';
import type { CallStore } from '../store/store.ts';
import type { Readiness } from './preflight.ts';
import type { Prewarm } from './prewarm.ts';
import type { ServerSettings } from './settings.ts';
import type { StreamTokens } from './stream-tokens.ts';

export interface ServerContext {
  /**
   * The compiled config new calls get; a reload (SIGHUP, serve --watch) replaces it. Read it once
   * per call: calls and pre-warmed sessions keep the one they started with.
   */
  agentSet: AgentSet;
  readonly settings: ServerSettings;
  readonly log: Logger;
  readonly tokens: StreamTokens;
  readonly calls: Set<Call>;
  /** How recent calls ended (call-ended.ts writes it), for the <Connect action> request after each. */
  readonly endings: Endings;
  readonly prewarm: Prewarm;
  readonly readiness: Readiness;
  /** GET /metrics. */
  readonly metrics: Metrics;
  /** Call records, when storage is on. */
  readonly store?: CallStore;
  /** Outbound calls: those ringing (they hold lines), the dial-rate caps, refusals. */
  readonly dialler: Dialler;
  /** Failed admin-token attempts per client: bearer endpoints and the console's login share it. */
  readonly authAttempts: AuthAttempts;
  /** Shutting down: calls in progress go on, new ones hear the busy message. */
  draining: boolean;
  /** Date.now() when the last call's stream ended (0: none yet): a draining server answers a while after it. */
  lastStreamEndedAt: number;
}
