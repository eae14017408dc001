// Ending a call after the agent's last words have reached the caller (hang_up, transfer). Audio
// is sent to Twilio faster than it plays, so "sent" is not "heard": once the agent's next
// response is done, a mark goes to Twilio behind its audio, and Twilio echoes a mark only when
// everything before it has played. A bound keeps a lost mark (or a model that never answers) from
// holding the call open.
import type { OpenAIRealtimeWebSocket } from '@openai/agents/realtime';

/** Our mark's name; the SDK never sees it (the call takes it out of the stream). */
export const FAREWELL_MARK = 'switchboard:farewell';
export const FAREWELL_MAX_MS = 15_000;

export class Farewell {
  #state: 'waiting_response' | 'speaking' | 'marked' | 'done' = 'waiting_response';
  readonly #timer: Timer;

  constructor(
    transport: OpenAIRealtimeWebSocket,
    private readonly sendMark: (name: string) => void,
    private readonly done: () => void,
    maxMs = FAREWELL_MAX_MS,
  ) {
    this.#timer = setTimeout(() => this.#finish(), maxMs);
    // The response that follows the tool's result is the goodbye (or the announcement).
    transport.on('turn_started', () => {
      if (this.#state === 'waiting_response') this.#state = 'speaking';
    });
    transport.on('turn_done', () => {
      if (this.#state !== 'speaking') return;
      this.#state = 'marked';
      this.sendMark(FAREWELL_MARK);
    });
  }

  /** Twilio echoed our mark: everything the agent said has played. */
  played(): void {
    if (this.#state === 'marked') this.#finish();
  }

  #finish(): void {
    if (this.#state === 'done') return;
    this.#state = 'done';
    clearTimeout(this.#timer);
    this.done();
  }

  cancel(): void {
    this.#state = 'done';
    clearTimeout(this.#timer);
  }
}
