// The caller's audio on its way upstream (lean path). Twilio's payload is the base64 mu-law that
// `input_audio_buffer.append` takes, so it goes as it came. Two things are added, as the SDK's
// Twilio transport adds them: silence for gaps in Twilio's timeline (lost packets: the model
// hears silence for them, as the caller did), and a second of silence when a caller who is
// mid-speech stops sending, so the model's turn detection can end the turn.
import type { MediaFrame, StartFrame } from '../twilio/frames.ts';
import { base64ByteLength, BYTES_PER_MS, silence } from './mulaw.ts';

/** The SDK's limit, kept: a gap longer than this is not filled beyond it. */
export const MAX_GAP_FILL_MS = 10_000;
/** Caller speech with no frame for this long gets INACTIVITY_SILENCE_MS of silence. */
export const INACTIVITY_MS = 750;
export const INACTIVITY_SILENCE_MS = 1_000;

const APPEND = '{"type":"input_audio_buffer.append","audio":"';
const DIGITS = /^\d+$/;
const INACTIVITY_SILENCE = silence(INACTIVITY_SILENCE_MS);

export class CallerAudio {
  /** Sends one message upstream (nothing if the socket is gone). */
  readonly #send: (message: string) => void;
  readonly #connected: () => boolean;
  /** Twilio's timestamps can be trusted for gap filling: mu-law, 8 kHz, mono. */
  #canFill = false;
  #nextTimestampMs: number | null = null;
  #lastMediaAt: number | null = null;
  #speaking = false;
  #gapFilled = false;
  #inactivityTimer: Timer | null = null;

  constructor(send: (message: string) => void, connected: () => boolean) {
    this.#send = send;
    this.#connected = connected;
  }

  /** The stream started (or restarted): a new timeline. */
  start(format: StartFrame['start']['mediaFormat']): void {
    this.reset();
    this.#canFill = format?.encoding === 'audio/x-mulaw' && format.sampleRate === 8000 && format.channels === 1;
  }

  /** Twilio's stream closed: nothing more comes. */
  stop(): void {
    this.reset();
    this.#canFill = false;
  }

  forward(media: MediaFrame['media']): void {
    const payload = media.payload;
    const timestamp = this.#canFill && media.timestamp !== undefined && DIGITS.test(media.timestamp) ? Number(media.timestamp) : null;
    if (timestamp === null || !Number.isSafeInteger(timestamp) || (this.#nextTimestampMs !== null && timestamp < this.#nextTimestampMs)) {
      this.#nextTimestampMs = null;
    } else {
      if (!this.#gapFilled && this.#nextTimestampMs !== null && timestamp > this.#nextTimestampMs) {
        this.#appendSilence(Math.min(Math.floor(timestamp - this.#nextTimestampMs), MAX_GAP_FILL_MS));
      }
      this.#nextTimestampMs = timestamp + base64ByteLength(payload) / BYTES_PER_MS;
    }
    this.#gapFilled = false;
    this.#send(APPEND + payload + '"}');
    this.#lastMediaAt = Date.now();
    if (this.#speaking && this.#inactivityTimer === null) this.#watchInactivity(INACTIVITY_MS);
  }

  /** The model heard the caller start speaking. */
  speechStarted(): void {
    this.#speaking = true;
    this.#clearInactivity();
    if (this.#lastMediaAt !== null) this.#watchInactivity(Math.max(0, INACTIVITY_MS - (Date.now() - this.#lastMediaAt)));
  }

  speechStopped(): void {
    this.#speaking = false;
    this.#clearInactivity();
  }

  reset(): void {
    this.#clearInactivity();
    this.#nextTimestampMs = null;
    this.#lastMediaAt = null;
    this.#speaking = false;
    this.#gapFilled = false;
  }

  #appendSilence(ms: number): void {
    if (ms <= 0) return;
    this.#send(APPEND + (ms === INACTIVITY_SILENCE_MS ? INACTIVITY_SILENCE : silence(ms)) + '"}');
  }

  /**
   * While the caller is mid-speech, a frame not followed by another within INACTIVITY_MS gets a
   * second of silence. One timer that looks again when it fires, not one per frame.
   */
  #watchInactivity(delayMs: number): void {
    if (!this.#canFill || !this.#speaking || this.#lastMediaAt === null) return;
    this.#inactivityTimer = setTimeout(() => {
      this.#inactivityTimer = null;
      if (!this.#connected() || !this.#speaking || this.#lastMediaAt === null) return;
      const quietMs = Date.now() - this.#lastMediaAt;
      if (quietMs < INACTIVITY_MS) return this.#watchInactivity(INACTIVITY_MS - quietMs);
      this.#appendSilence(INACTIVITY_SILENCE_MS);
      this.#gapFilled = true;
    }, delayMs);
  }

  #clearInactivity(): void {
    if (this.#inactivityTimer === null) return;
    clearTimeout(this.#inactivityTimer);
    this.#inactivityTimer = null;
  }
}
