// Pre-warmed upstream sessions, keyed by CallSid. The webhook opens the call's Realtime session
// while Twilio is still fetching TwiML and playing <Say>, so the stream starts with its model
// ready instead of paying a TLS + WebSocket handshake on the first turn. Bounded in number, and
// closed if no stream comes for them in time.
import type { CallFacts } from '../agents/line.ts';
import type { Upstream } from '../call/upstream.ts';

export const PREWARM_TTL_MS = 30_000;

interface Entry {
  upstream: Upstream;
  agentId: string;
  timer: Timer;
}

export class Prewarm {
  readonly #entries = new Map<string, Entry>();

  constructor(
    private readonly open: (agentId: string, facts: CallFacts) => Upstream,
    private readonly max: () => number,
    private readonly ttlMs = PREWARM_TTL_MS,
  ) {}

  get size(): number {
    return this.#entries.size;
  }

  /** Starts a session for a call whose stream is on its way (no-op at the bound or if one exists). */
  start(callSid: string, agentId: string, facts: CallFacts): void {
    if (this.#entries.has(callSid) || this.#entries.size >= this.max()) return;
    const upstream = this.open(agentId, facts);
    const timer = setTimeout(() => this.#drop(callSid), this.ttlMs);
    this.#entries.set(callSid, { upstream, agentId, timer });
  }

  /**
   * The call's pre-warmed session for this agent; it is the caller's from now on. One that failed
   * to connect is handed over too: the same key and endpoint would fail again, so the call ends at
   * once with its fallback instead of keeping the caller waiting. One that connected and dropped
   * meanwhile is closed, so the stream gets a fresh attempt.
   */
  take(callSid: string, agentId: string): Upstream | undefined {
    const entry = this.#entries.get(callSid);
    if (!entry) return undefined;
    this.#entries.delete(callSid);
    clearTimeout(entry.timer);
    if (entry.agentId === agentId && !entry.upstream.dropped) return entry.upstream;
    entry.upstream.close();
    return undefined;
  }

  /** Closes the call's session if it is still waiting for its stream (the call is over). */
  release(callSid: string): boolean {
    if (!this.#entries.has(callSid)) return false;
    this.#drop(callSid);
    return true;
  }

  /** The call's session while it waits for its stream. */
  peek(callSid: string): { upstream: Upstream; agentId: string } | undefined {
    return this.#entries.get(callSid);
  }

  closeAll(): void {
    for (const callSid of [...this.#entries.keys()]) this.#drop(callSid);
  }

  #drop(callSid: string): void {
    const entry = this.#entries.get(callSid);
    if (!entry) return;
    this.#entries.delete(callSid);
    clearTimeout(entry.timer);
    entry.upstream.close();
  }
}
