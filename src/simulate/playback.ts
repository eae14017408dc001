// Twilio's side of marks: audio plays at 8 bytes/ms after it arrives; a mark is echoed when the
// audio sent before it has played, and at once when a `clear` throws that audio away.

export class Playback {
  #playEndsAt = 0;
  readonly #due: { name: string; at: number }[] = [];
  #timer: Timer | undefined;

  constructor(
    private readonly echo: (name: string) => void,
    private readonly now: () => number = performance.now.bind(performance),
  ) {}

  media(bytes: number): void {
    this.#playEndsAt = Math.max(this.now(), this.#playEndsAt) + bytes / 8;
  }

  mark(name: string): void {
    // Dues only grow, so the queue stays in order and one timer serves it.
    this.#due.push({ name, at: Math.max(this.now(), this.#playEndsAt) });
    this.#schedule();
  }

  clear(): void {
    this.#playEndsAt = this.now();
    clearTimeout(this.#timer);
    this.#timer = undefined;
    for (const { name } of this.#due.splice(0)) this.echo(name);
  }

  stop(): void {
    clearTimeout(this.#timer);
    this.#due.length = 0;
  }

  #schedule(): void {
    if (this.#timer !== undefined || this.#due.length === 0) return;
    const wait = Math.max(0, this.#due[0]!.at - this.now());
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      const now = this.now();
      while (this.#due.length > 0 && this.#due[0]!.at <= now) this.echo(this.#due.shift()!.name);
      this.#schedule();
    }, wait);
  }
}
