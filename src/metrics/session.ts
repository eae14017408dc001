// How soon the agent answers, from a call's Realtime session events: they come once per turn,
// never per audio frame.
import type { Upstream } from '../call/upstream.ts';
import type { Metrics } from './metrics.ts';

/**
 * From the API's VAD saying the caller's turn ended (`input_audio_buffer.speech_stopped`) to the
 * first agent audio of the answer reaching switchboard (the session's `audio_start`). Approximate
 * by design: the VAD's silence window before speech_stopped, and the phone network both ways,
 * are not in it. A response the agent starts without a caller turn (first_message) is not counted.
 */
export function watchReplies(metrics: Metrics, upstream: Upstream): void {
  let speechStoppedAt: number | undefined;
  upstream.transport.on('input_audio_buffer.speech_stopped', () => {
    speechStoppedAt = performance.now();
  });
  upstream.session.on('audio_start', () => {
    if (speechStoppedAt === undefined) return;
    metrics.replied(performance.now() - speechStoppedAt);
    speechStoppedAt = undefined;
  });
}
