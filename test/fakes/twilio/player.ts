// Twilio's player for the audio switchboard sends back: a playback clock that decides what the
// caller has heard, when a mark is echoed, and what a `clear` cuts.
import { concatBytes } from '../bytes.ts';

export type PlaybackMode = 'realtime' | 'instant';

interface Segment {
  bytes: Uint8Array;
  startAt: number;
  /** Playback stopped here (clear); Infinity if not cut. */
  cutAt: number;
}

export class Player {
  readonly #mode: PlaybackMode;
  readonly #autoMarks: boolean;
  readonly #echo: (name: string) => void;
  readonly #segments: Segment[] = [];
  #playEnd = 0;
  readonly #pending: Array<{ name: string; due: number }> = [];
  #timer: ReturnType<typeof setTimeout> | null = null;
  #stopped = false;
  /** Timers may fire a fraction of a ms early: once a mark is echoed as played, the clock is at least its time. */
  #floor = 0;

  #now(): number {
    return Math.max(performance.now(), this.#floor);
  }

  constructor(mode: PlaybackMode, autoMarks: boolean, echo: (name: string) => void) {
    this.#mode = mode;
    this.#autoMarks = autoMarks;
    this.#echo = echo;
  }

  media(bytes: Uint8Array): void {
    const now = this.#now();
    if (this.#mode === 'instant') {
      this.#segments.push({ bytes, startAt: -Infinity, cutAt: Infinity });
      return;
    }
    const startAt = Math.max(now, this.#playEnd);
    this.#playEnd = startAt + bytes.byteLength / 8;
    this.#segments.push({ bytes, startAt, cutAt: Infinity });
  }

  mark(name: string): void {
    if (!this.#autoMarks || this.#stopped) return;
    if (this.#mode === 'instant') {
      this.#echo(name);
      return;
    }
    this.#pending.push({ name, due: this.#playEnd });
    this.#schedule();
  }

  clear(): void {
    const now = this.#now();
    for (const s of this.#segments) if (s.cutAt === Infinity && s.startAt + s.bytes.byteLength / 8 > now) s.cutAt = now;
    this.#playEnd = now;
    this.#flush(Infinity);
  }

  /** Milliseconds of audio queued and not yet played. */
  get bufferedMs(): number {
    return Math.max(0, this.#playEnd - this.#now());
  }

  heard(): Uint8Array {
    const now = this.#now();
    return concatBytes(
      this.#segments.map((s) => {
        const playedMs = Math.min(now, s.cutAt) - s.startAt;
        return s.bytes.subarray(0, Math.max(0, Math.min(s.bytes.byteLength, Math.floor(playedMs * 8 + 1e-6))));
      }),
    );
  }

  stop(): void {
    this.#stopped = true;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    this.#pending.length = 0;
  }

  #schedule(): void {
    if (this.#timer || this.#pending.length === 0 || this.#stopped) return;
    const delay = Math.max(0, this.#pending[0]!.due - this.#now());
    this.#timer = setTimeout(() => {
      this.#timer = null;
      this.#flush(this.#now() + 1, true);
      this.#schedule();
    }, delay);
  }

  #flush(until: number, played = false): void {
    while (this.#pending.length > 0 && this.#pending[0]!.due <= until && !this.#stopped) {
      const mark = this.#pending.shift()!;
      if (played) this.#floor = Math.max(this.#floor, mark.due);
      this.#echo(mark.name);
    }
  }
}
