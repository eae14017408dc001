// The caller's audio as the server received it (`input_audio_buffer.append`), and what is not yet committed.
import { concatBytes } from '../bytes.ts';
import { bytesPerMs } from './protocol.ts';

export class InputAudio {
  readonly #chunks: Uint8Array[] = [];
  #bytes = 0;
  #uncommittedBytes = 0;

  append(bytes: Uint8Array): void {
    this.#chunks.push(bytes);
    this.#bytes += bytes.byteLength;
    this.#uncommittedBytes += bytes.byteLength;
  }

  /** Bytes appended since the last commit or clear. */
  get uncommittedBytes(): number {
    return this.#uncommittedBytes;
  }

  /** The buffer was committed or cleared. */
  resetUncommitted(): void {
    this.#uncommittedBytes = 0;
  }

  /** Every appended payload, concatenated in order. */
  all(): Uint8Array {
    return concatBytes(this.#chunks);
  }

  /** Milliseconds of all audio received, in the input `format`. */
  ms(format: unknown): number {
    return Math.floor(this.#bytes / bytesPerMs(format));
  }
}
