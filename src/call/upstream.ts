// A call's Realtime session: the agent, a transport between Twilio's stream and the Realtime API
// (the lean one, or the SDK's Twilio transport over our StreamSocket), and a connect that gives
// up after a deadline. Opened when the stream starts, or earlier (pre-warm).
import { RealtimeSession } from '@openai/agents/realtime';
import type { AgentSet } from '../agents/compile.ts';
import type { CallContext, CallFacts, Line } from '../agents/line.ts';
import { GUARDRAIL_EVERY_CHARS } from '../agents/guardrails.ts';
import type { InboundFrame } from '../twilio/frames.ts';
import { StreamSocket } from '../twilio/stream-socket.ts';
import { errorMessage, type Logger } from '../log/logger.ts';
import { LeanTransport } from './lean-transport.ts';
import { CallTimingsWatch } from './timings.ts';
import { BridgeTransport } from './sdk-transport.ts';
import { explainConnectError } from './upstream-errors.ts';
import pkg from '../../package.json' with { type: 'json' };

const USER_AGENT = `switchboard/${pkg.version}`;

export interface UpstreamOptions {
  agentSet: AgentSet;
  /** The agent that answers; handoffs may move the call to others of the set. */
  agentId: string;
  /** What is known of the call ({{call.*}} in instructions and tool results). */
  facts: CallFacts;
  apiKey: string;
  /** Full Realtime WebSocket URL, model included. */
  url: string;
  connectTimeoutMs: number;
  /** `lean` (default): lean-transport.ts; `sdk`: the SDK's Twilio transport, for comparison (AUDIO_PATH). */
  audioPath?: AudioPath;
  /** Until a call adopts the session (and gives it a logger with its CallSid). */
  log: Logger;
  /** Each wait for the agent's answer as it is measured, in ms (the server's metrics; see timings.ts). */
  onReply?: (ms: number) => void;
}

/**
 * Bun's native WebSocket client for the Realtime API, instead of the SDK's default (the `ws`
 * package, which Bun emulates on top of the same native socket with an extra event layer).
 * The SDK waits for `open` itself.
 */
async function openRealtimeSocket({ url, apiKey }: { url: string; apiKey: string }): Promise<WebSocket> {
  // Bun's WebSocket takes headers as a second-argument option.
  return new WebSocket(url, { headers: { Authorization: `Bearer ${apiKey}`, 'User-Agent': USER_AGENT } } as never);
}

/**
 * Off unless `openai.tracing.enabled`: a trace holds what callers said. The SDK then sends
 * `tracing: null` (the API's own default may trace). When on, the CallSid is the trace's group id,
 * which the SDK sends only with a workflow name (hence its default).
 */
function tracingOptions({ config }: AgentSet, facts: CallFacts) {
  const tracing = config.openai.tracing;
  if (!tracing?.enabled) return { tracingDisabled: true };
  return { tracingDisabled: false, workflowName: tracing.workflow_name, groupId: facts.sid };
}

export type AudioPath = 'lean' | 'sdk';

export class UpstreamTimeout extends Error {
  constructor(ms: number) {
    super(`the Realtime API did not answer within ${ms} ms`);
  }
}

export class Upstream {
  readonly socket = new StreamSocket();
  readonly transport: BridgeTransport | LeanTransport;
  readonly session: RealtimeSession<CallContext>;
  /** The call as its session sees it; the adopting call sets its controls. */
  readonly line: Line;
  /** Resolves when the session is configured (session.update sent); rejects on failure or timeout. */
  readonly ready: Promise<void>;
  readonly openedAt = performance.now();
  /** When the session became ready (performance.now()), once it has. */
  readyAt: number | undefined;
  /** What the caller waits for on this session, measured from its creation (see timings.ts). */
  readonly timings: CallTimingsWatch;
  /** Where this session's errors go; the adopting call sets one that carries its CallSid. */
  log: Logger;
  #isReady = false;
  #lost = false;

  constructor(options: UpstreamOptions) {
    const { agentSet } = options;
    // Handoffs move line.agentId (see agents/compile.ts); the transport reads it at every update.
    const line: Line = { agentId: options.agentId, facts: options.facts };
    this.line = line;
    const agentSettings = () => agentSet.agentSettings.get(line.agentId);
    this.transport =
      options.audioPath === 'sdk'
        ? new BridgeTransport(
            {
              // The transport's type names the DOM/ws WebSocket; it only calls what StreamSocket provides.
              twilioWebSocket: this.socket as unknown as WebSocket,
              // Typed as the `ws` package's socket; the SDK uses only the standard WebSocket surface.
              createWebSocket: openRealtimeSocket as never,
            },
            agentSettings,
          )
        : new LeanTransport({ twilio: this.socket, openSocket: openRealtimeSocket }, agentSettings);
    this.session = new RealtimeSession(agentSet.agents.get(options.agentId)!, {
      transport: this.transport,
      model: agentSet.model,
      config: agentSet.session,
      context: { line },
      ...tracingOptions(agentSet, options.facts),
      // Checked every GUARDRAIL_EVERY_CHARS of the agent's transcript: on a phone line a few
      // words late is already heard (see agents/guardrails.ts).
      outputGuardrails: agentSet.guardrails,
      outputGuardrailSettings: { debounceTextLength: GUARDRAIL_EVERY_CHARS },
    });
    this.log = options.log;
    this.timings = new CallTimingsWatch(this, options.onReply);
    // Registered at once: an `error` nobody listens to is thrown by the SDK's emitter, and a
    // pre-warmed session can get one before any call owns it. The SDK recovers from the rest
    // (an unknown tool name is answered to the model); a lost upstream is handled by the call.
    this.session.on('error', (event) => this.log.warn('session error', { error: errorMessage(event) }));
    this.transport.on('connection_change', (status) => {
      if (status === 'disconnected' && this.#isReady) this.#lost = true;
    });
    this.ready = this.#connect(options);
    // Whoever adopts the upstream handles failure; an unobserved rejection must not crash anything.
    this.ready.catch(() => {});
  }

  /** A Twilio frame that passed the guard; `raw` is what came on the wire. */
  forward(frame: InboundFrame, raw: string): void {
    if (this.transport instanceof LeanTransport) this.transport.receive(frame);
    else this.socket.deliver(raw);
  }

  /** How long the Realtime handshake took until the session was configured (ms), once it has been. */
  get connectMs(): number | undefined {
    return this.readyAt === undefined ? undefined : this.readyAt - this.openedAt;
  }

  get isReady(): boolean {
    return this.#isReady;
  }

  /** Was ready, then went away (a pre-warmed session can, before its stream comes). */
  get dropped(): boolean {
    return this.#lost;
  }

  async #connect({ apiKey, url, connectTimeoutMs }: UpstreamOptions): Promise<void> {
    let timer: Timer | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new UpstreamTimeout(connectTimeoutMs)), connectTimeoutMs);
    });
    try {
      await Promise.race([this.session.connect({ apiKey, url }), timeout]);
      this.#isReady = true;
      this.readyAt = performance.now();
    } catch (error) {
      this.close();
      if (error instanceof UpstreamTimeout) throw error;
      throw new Error(explainConnectError(error, new URL(url).host));
    } finally {
      clearTimeout(timer);
    }
  }

  /** Closes the Realtime socket (also while it is still connecting). Never throws. */
  close(): void {
    try {
      this.session.close();
    } catch {
      // Closing is best effort; the socket is dropped either way.
    }
  }
}
