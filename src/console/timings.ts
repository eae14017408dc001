// The timings a caller feels, measured on each call's Realtime session from its start: when the
// agent's first audio came, how long the session took to connect, and each wait for an answer.
// The listeners fire once per turn (the SDK's audio_start, the API's speech_stopped), never per
// audio frame; the result goes on the call's stored row once it ends.
import type { Call } from '../call/call.ts';
import type { Upstream } from '../call/upstream.ts';
import type { CallTimings } from '../store/rows.ts';

/** A long call keeps its first replies; the longest silence is still the longest of those. */
const MAX_REPLIES = 100;

interface Marks {
  /** Date.now() of the first agent audio. */
  firstAudioAt?: number;
  /** performance.now() of the caller's last turn ending, until the agent answers it. */
  turnEndedAt?: number;
  replyMs: number[];
}

/** performance.now() readings of an Upstream as epoch milliseconds, comparable with call records. */
const epoch = (perf: number) => performance.timeOrigin + perf;

export class CallTimingsWatch {
  readonly #marks = new WeakMap<Upstream, Marks>();

  /** From the session's creation (at the webhook when pre-warmed), so nothing early is missed. */
  watch(upstream: Upstream): void {
    const marks: Marks = { replyMs: [] };
    this.#marks.set(upstream, marks);
    upstream.transport.on('input_audio_buffer.speech_stopped', () => {
      marks.turnEndedAt = performance.now();
    });
    upstream.session.on('audio_start', () => {
      marks.firstAudioAt ??= Date.now();
      if (marks.turnEndedAt === undefined) return;
      if (marks.replyMs.length < MAX_REPLIES) marks.replyMs.push(Math.round(performance.now() - marks.turnEndedAt));
      marks.turnEndedAt = undefined;
    });
  }

  /** What was measured on a call so far; undefined before its stream has a session. */
  of(call: Call): CallTimings | undefined {
    const upstream = call.upstream;
    if (upstream === undefined) return undefined;
    const marks = this.#marks.get(upstream) ?? { replyMs: [] };
    // The record starts when the stream socket opens: Twilio's stream start, as the caller hears it.
    const streamAt = call.record.startedAt;
    const timings: CallTimings = { prewarmed: upstream.openedAt < call.openedAt, replyMs: [...marks.replyMs] };
    if (marks.firstAudioAt !== undefined) timings.firstAudioMs = Math.max(0, marks.firstAudioAt - streamAt);
    if (upstream.readyAt !== undefined) {
      timings.connectMs = Math.round(upstream.readyAt - upstream.openedAt);
      timings.waitedMs = Math.max(0, Math.round(epoch(upstream.readyAt) - streamAt));
    }
    return timings;
  }
}
