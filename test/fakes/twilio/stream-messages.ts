// The messages Twilio sends on a Media Stream, with their sequence numbers and the inbound media
// clock (chunk numbers and timestamps), in the shapes documented for Media Streams.
import { toBase64 } from '../bytes.ts';

export interface StreamIds {
  accountSid: string;
  callSid: string;
  streamSid: string;
}

export class StreamMessages {
  readonly #ids: StreamIds;
  #sequence = 0;
  #chunk = 0;
  /** The inbound media clock, in bytes at 8 bytes/ms (so ms = bytes / 8). */
  #clockBytes = 0;

  constructor(ids: StreamIds) {
    this.#ids = ids;
  }

  /** The media clock: ms of inbound audio since the stream started. */
  get mediaTimestampMs(): number {
    return Math.floor(this.#clockBytes / 8);
  }

  /** Advance the media clock without a message (Twilio skipping silent frames). */
  skipMs(ms: number): void {
    this.#clockBytes += Math.round(ms * 8);
  }

  connected(): Record<string, unknown> {
    return { event: 'connected', protocol: 'Call', version: '1.0.0' };
  }

  start(customParameters: Record<string, string>, mediaFormat: Record<string, unknown>): Record<string, unknown> {
    const { accountSid, callSid, streamSid } = this.#ids;
    return {
      event: 'start',
      sequenceNumber: this.#nextSequence(),
      start: {
        accountSid,
        streamSid,
        callSid,
        tracks: ['inbound'],
        customParameters: { ...customParameters },
        mediaFormat: { ...mediaFormat },
      },
      streamSid,
    };
  }

  /** One media frame; `timestampMs` moves the media clock there first. */
  media(payload: Uint8Array, timestampMs?: number): Record<string, unknown> {
    if (timestampMs !== undefined) this.#clockBytes = Math.round(timestampMs * 8);
    const timestamp = Math.floor(this.#clockBytes / 8);
    this.#clockBytes += payload.byteLength;
    this.#chunk += 1;
    return {
      event: 'media',
      sequenceNumber: this.#nextSequence(),
      media: { track: 'inbound', chunk: String(this.#chunk), timestamp: String(timestamp), payload: toBase64(payload) },
      streamSid: this.#ids.streamSid,
    };
  }

  dtmf(digit: string): Record<string, unknown> {
    return {
      event: 'dtmf',
      streamSid: this.#ids.streamSid,
      sequenceNumber: this.#nextSequence(),
      dtmf: { track: 'inbound_track', digit },
    };
  }

  mark(name: string): Record<string, unknown> {
    return { event: 'mark', sequenceNumber: this.#nextSequence(), streamSid: this.#ids.streamSid, mark: { name } };
  }

  stop(): Record<string, unknown> {
    const { accountSid, callSid, streamSid } = this.#ids;
    return { event: 'stop', sequenceNumber: this.#nextSequence(), streamSid, stop: { accountSid, callSid } };
  }

  #nextSequence(): string {
    this.#sequence += 1;
    return String(this.#sequence);
  }
}
