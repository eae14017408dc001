// Pending waits of a fake: promises that resolve when a check first yields a value, re-checked
// whenever the fake records something, and rejected with what was seen on timeout or close.

interface Wait {
  check: () => unknown;
  resolve: (value: any) => void;
  reject: (error: Error) => void;
  timer: ReturnType<typeof setTimeout>;
  description: string;
}

export interface WaitsOptions {
  /** Names the fake in errors, e.g. 'FakeCall'. */
  owner: string;
  /** What closes, e.g. 'stream' (in "stream closed without ..."). */
  subject: string;
  /** What was seen so far, appended to every error. */
  summary: () => string;
}

export class Waits {
  readonly #waits = new Set<Wait>();
  readonly #options: WaitsOptions;
  #closed = false;

  constructor(options: WaitsOptions) {
    this.#options = options;
  }

  /**
   * Resolves with the first value of `check` that is not undefined: now (a throw here is thrown
   * to the caller), then after every `run()`. Rejects on timeout, or once closed without one.
   */
  wait<T>(check: () => T | undefined, description: string, timeoutMs: number): Promise<T> {
    const { owner, subject, summary } = this.#options;
    const now = check();
    if (now !== undefined) return Promise.resolve(now);
    if (this.#closed) return Promise.reject(new Error(`${owner}: ${subject} closed without ${description}. ${summary()}`));
    return new Promise((resolve, reject) => {
      const wait: Wait = {
        check,
        resolve,
        reject,
        description,
        timer: setTimeout(() => {
          this.#waits.delete(wait);
          reject(new Error(`${owner}: timed out after ${timeoutMs}ms waiting for ${description}. ${summary()}`));
        }, timeoutMs),
      };
      this.#waits.add(wait);
    });
  }

  /** Re-check every pending wait: it resolves with a value, or rejects if its check throws. */
  run(): void {
    for (const wait of this.#waits) {
      let value: unknown;
      try {
        value = wait.check();
      } catch (error) {
        this.#waits.delete(wait);
        clearTimeout(wait.timer);
        wait.reject(error instanceof Error ? error : new Error(String(error)));
        continue;
      }
      if (value !== undefined) {
        this.#waits.delete(wait);
        clearTimeout(wait.timer);
        wait.resolve(value);
      }
    }
  }

  /** Reject every pending wait (and every later one) with the close code. */
  close(code: number): void {
    const { owner, subject, summary } = this.#options;
    this.#closed = true;
    for (const wait of this.#waits) {
      clearTimeout(wait.timer);
      wait.reject(new Error(`${owner}: ${subject} closed (${code}) without ${wait.description}. ${summary()}`));
    }
    this.#waits.clear();
  }
}
