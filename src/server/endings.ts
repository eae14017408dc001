// How recent calls ended, by CallSid, for the <Connect action> request that follows the end of
// a stream. Bounded in size and age: it is a short memory, not a store.

import type { TransferRequest } from '../agents/line.ts';
import type { EndReason } from '../call/end-reason.ts';

export interface Ending {
  reason: EndReason;
  agentId?: string;
  /** The agent transferred the caller here. */
  transfer?: TransferRequest;
}

export class Endings {
  readonly #entries = new Map<string, Ending & { at: number }>();

  constructor(
    private readonly maxEntries = 10_000,
    private readonly ttlMs = 10 * 60_000,
  ) {}

  set(callSid: string, ending: Ending): void {
    this.#entries.delete(callSid);
    this.#entries.set(callSid, { ...ending, at: Date.now() });
    // Oldest first: drop what is too old or over the bound.
    for (const [sid, entry] of this.#entries) {
      if (this.#entries.size <= this.maxEntries && Date.now() - entry.at < this.ttlMs) break;
      this.#entries.delete(sid);
    }
  }

  get(callSid: string): Ending | undefined {
    return this.#entries.get(callSid);
  }

  get size(): number {
    return this.#entries.size;
  }
}
