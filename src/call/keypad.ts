// The caller's key presses, as conversation input for the agent: each press at once, or digits
// collected until the end key, the maximum or a pause. The digits themselves go to the model and
// the record only; they may be PINs or card numbers, so they never reach a log line.
import type { DtmfConfig } from '../config/index.ts';

export class Keypad {
  #digits = '';
  #timer: Timer | undefined;

  constructor(
    private readonly config: DtmfConfig,
    /** Hands one input to the agent (a user message that asks for a response). */
    private readonly send: (text: string) => void,
  ) {}

  press(key: string): void {
    if (this.config.mode === 'each') return this.send(`The caller pressed ${key}.`);
    clearTimeout(this.#timer);
    if (key === this.config.end_on) return this.#flush();
    this.#digits += key;
    if (this.config.max_digits !== undefined && this.#digits.length >= this.config.max_digits) return this.#flush();
    this.#timer = setTimeout(() => this.#flush(), this.config.timeout_ms);
  }

  #flush(): void {
    clearTimeout(this.#timer);
    const digits = this.#digits;
    this.#digits = '';
    if (digits) this.send(`The caller entered ${digits} on the keypad.`);
  }

  stop(): void {
    clearTimeout(this.#timer);
  }
}
