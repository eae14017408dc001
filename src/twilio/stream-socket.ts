// Bun's ServerWebSocket has no addEventListener; the SDK's Twilio transport needs one. This
// adapter gives it the small WebSocket surface it calls, and lets the call decide which frames
// reach it (see frames.ts). It can exist before Twilio's socket does, so an upstream session can
// be opened while Twilio is still fetching TwiML; `attach` then joins the two.
import type { ServerWebSocket } from 'bun';

type Listener = (event: { data?: string; code?: number; reason?: string; error?: unknown }) => void;
type EventName = 'message' | 'close' | 'error';

export class StreamSocket {
  #ws: ServerWebSocket<unknown> | undefined;
  readonly #listeners: Record<EventName, Listener[]> = { message: [], close: [], error: [] };
  #closed = false;

  attach(ws: ServerWebSocket<unknown>): void {
    this.#ws = ws;
  }

  addEventListener(type: EventName, listener: Listener): void {
    this.#listeners[type]?.push(listener);
  }

  /**
   * The SDK sends only after `start` (every message carries the streamSid), so nothing is sent
   * before `attach`; once the stream closed there is nowhere to send. (The call, not the SDK,
   * closes Twilio's socket: see Call.end.)
   */
  send(data: string): void {
    if (!this.#closed) this.#ws?.send(data);
  }

  /** A frame that passed the guard, handed to the transport as the `ws` package would. */
  deliver(data: string): void {
    for (const listener of this.#listeners.message) listener({ data });
  }

  /** Bun's close handler ran, or the stream never came: the socket is gone. */
  closed(code: number, reason: string): void {
    this.#closed = true;
    for (const listener of this.#listeners.close) listener({ code, reason });
  }
}
