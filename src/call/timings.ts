// The timings a caller feels, measured on a call's Realtime session from the session's creation
// (at the webhook when pre-warmed, so nothing early is missed): when the agent's first audio came,
// how long the session took to connect, and each wait for an answer. The listeners fire once per
// turn (the SDK's audio_start, the API's speech_stopped), never per audio frame. This is the one
// measurement: the call's stored row (through the recorder), the console's live call page and
// /metrics' reply latency (each reply as it is measured) all read it.
import type { CallTimings } from '../store/rows.ts';

/** A long call keeps its first replies; the longest silence is still the longest of those. */
const MAX_REPLIES = 100;

/** What the watch needs of a session (an Upstream): its two per-turn events, and its connect. */
export interface TimedSession {
  readonly transport: { on(type: 'input_audio_buffer.speech_stopped', listener: () => void): unknown };
  readonly session: { on(type: 'audio_start', listener: () => void): unknown };
  /** performance.now() when the session was opened. */
  readonly openedAt: number;
  /** performance.now() when it became ready, once it has. */
  readonly readyAt: number | undefined;
  /** readyAt - openedAt, once ready. */
  readonly connectMs: number | undefined;
}

/** The call whose stream adopted the session, as far as its timings go. */
export interface TimedCall {
  /** performance.now() when Twilio's stream socket opened. */
  readonly openedAt: number;
  /** Date.now() of the same moment: what the caller hears as the stream's start. */
  readonly record: { readonly startedAt: number };
}

/**
 * The clocks read: performance.now() for intervals (the Upstream's and the Call's too), Date.now()
 * for the first audio, and performance.timeOrigin to put the one on the other (tests set them).
 */
export interface TimingClock {
  perf(): number;
  wall(): number;
  readonly timeOrigin: number;
}

const SYSTEM_CLOCK: TimingClock = { perf: () => performance.now(), wall: () => Date.now(), timeOrigin: performance.timeOrigin };

export class CallTimingsWatch {
  readonly #session: TimedSession;
  readonly #clock: TimingClock;
  /** wall() of the first agent audio. */
  #firstAudioAt: number | undefined;
  /** perf() of the caller's last turn ending, until the agent answers it. */
  #turnEndedAt: number | undefined;
  readonly #replyMs: number[] = [];

  /**
   * `onReply`: each wait for an answer as it is measured (the server's reply-latency metric), from
   * the API's VAD saying the caller's turn ended (`input_audio_buffer.speech_stopped`) to the first
   * agent audio of the answer reaching switchboard (`audio_start`). Approximate by design: the
   * VAD's silence window before speech_stopped, and the phone network both ways, are not in it. A
   * response the agent starts without a caller turn (first_message) is not a reply.
   */
  constructor(session: TimedSession, onReply?: (ms: number) => void, clock: TimingClock = SYSTEM_CLOCK) {
    this.#session = session;
    this.#clock = clock;
    session.transport.on('input_audio_buffer.speech_stopped', () => {
      this.#turnEndedAt = clock.perf();
    });
    session.session.on('audio_start', () => {
      this.#firstAudioAt ??= clock.wall();
      if (this.#turnEndedAt === undefined) return;
      const ms = clock.perf() - this.#turnEndedAt;
      this.#turnEndedAt = undefined;
      if (this.#replyMs.length < MAX_REPLIES) this.#replyMs.push(Math.round(ms));
      onReply?.(ms);
    });
  }

  /** What was measured so far, for the call that adopted the session. */
  of(call: TimedCall): CallTimings {
    const session = this.#session;
    // The record starts when the stream socket opens: Twilio's stream start, as the caller hears it.
    const streamAt = call.record.startedAt;
    const timings: CallTimings = { prewarmed: session.openedAt < call.openedAt, replyMs: [...this.#replyMs] };
    if (this.#firstAudioAt !== undefined) timings.firstAudioMs = Math.max(0, this.#firstAudioAt - streamAt);
    if (session.readyAt !== undefined && session.connectMs !== undefined) {
      timings.connectMs = Math.round(session.connectMs);
      // The performance.now() reading as epoch milliseconds, comparable with the record's.
      timings.waitedMs = Math.max(0, Math.round(this.#clock.timeOrigin + session.readyAt - streamAt));
    }
    return timings;
  }
}
