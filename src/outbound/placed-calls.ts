// Outbound calls placed and not yet answered: queued at Twilio or ringing. Each holds a line
// (limits.max_concurrent_calls) from the moment it is reserved, before Twilio is asked, until it
// is answered (then the stream token counts it, as `greeting` and then `connected`), ends
// unanswered (busy, no-answer, failed, canceled: Twilio's status callback), or, when neither
// callback comes (they went to another instance, or were lost), its time runs out. Without this,
// calls that ring count as nothing, and any number of them can be placed "within" the limit.

/** Twilio's `Timeout`, sent explicitly: how long a placed call may ring before it is no-answer. */
export const RING_TIMEOUT_SECONDS = 60;
/** After pickup, answering-machine detection may hold the answer URL this long (MachineDetectionTimeout's default). */
const DETECTION_SECONDS = 30;
/** Time in Twilio's queue (calls per second), a slow answer URL, clocks. */
const MARGIN_SECONDS = 60;
/** A placed call that has had no callback for this long no longer counts; each callback starts it again. */
export const PLACED_CALL_TTL_MS = (RING_TIMEOUT_SECONDS + DETECTION_SECONDS + MARGIN_SECONDS) * 1000;
/** However high max_concurrent_calls is, the set stays bounded. */
export const MAX_PLACED_CALLS = 10_000;

/** A line held for a call about to be placed; `placed` turns it into the call's CallSid. */
export type Reservation = `reserved:${number}`;

export class PlacedCalls {
  /** Reservations and CallSids, each with when it stops counting. Insertion order is (nearly) expiry order. */
  readonly #calls = new Map<string, number>();
  readonly #now: () => number;
  readonly #ttlMs: number;
  #reserved = 0;

  constructor(options: { now?: () => number; ttlMs?: number } = {}) {
    this.#now = options.now ?? Date.now;
    this.#ttlMs = options.ttlMs ?? PLACED_CALL_TTL_MS;
  }

  /** Calls placed (or being placed) and not yet answered or ended. */
  get size(): number {
    this.#purge();
    return this.#calls.size;
  }

  /** Holds a line for a call about to be placed; undefined when the set is full. Synchronous: call it right after the capacity check. */
  reserve(): Reservation | undefined {
    if (this.size >= MAX_PLACED_CALLS) return undefined;
    const reservation: Reservation = `reserved:${++this.#reserved}`;
    this.#calls.set(reservation, this.#now() + this.#ttlMs);
    return reservation;
  }

  /** Twilio queued it: the line is now the call's. */
  placed(reservation: Reservation, callSid: string): void {
    this.#calls.delete(reservation);
    this.#calls.set(callSid, this.#now() + this.#ttlMs);
  }

  /** A callback about a call still ringing (initiated, ringing, answered): its time starts again. Unknown CallSids are not added. */
  touch(callSid: string): boolean {
    if (!this.#calls.delete(callSid)) return false;
    this.#calls.set(callSid, this.#now() + this.#ttlMs);
    return true;
  }

  /** Answered (handed to the stream token), ended unanswered, or never placed: the line is free. */
  release(key: string): boolean {
    return this.#calls.delete(key);
  }

  #purge(): void {
    const now = this.#now();
    for (const [key, expires] of this.#calls) {
      if (expires > now) break;
      this.#calls.delete(key);
    }
  }
}
