// What the request handlers share: the compiled agents, settings, and the server's live state.
import type { AgentSet } from '../agents/compile.ts';
import type { Call } from '../call/call.ts';
import type { Logger } from '../log/logger.ts';
import type { Endings } from './endings.ts';
import type { Readiness } from './preflight.ts';
import type { Prewarm } from './prewarm.ts';
import type { ServerSettings } from './settings.ts';
import type { StreamTokens } from './stream-tokens.ts';

export interface ServerContext {
  readonly agentSet: AgentSet;
  readonly settings: ServerSettings;
  readonly log: Logger;
  readonly tokens: StreamTokens;
  readonly calls: Set<Call>;
  readonly endings: Endings;
  readonly prewarm: Prewarm;
  readonly readiness: Readiness;
  /** Shutting down: calls in progress go on, new ones hear the busy message. */
  draining: boolean;
  /** Date.now() when the last call's stream ended (0: none yet). */
  lastStreamEndedAt: number;
}
