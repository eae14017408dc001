// GET /console/api/live: server-sent events for the console's live view. One timer for every
// open stream, running only while there is one: once a second it takes a snapshot of the calls in
// progress and sends each stream the snapshot (`calls`) and the turns it has not seen (`turns`).
// A stream whose login ends (logout, expiry, a new ADMIN_TOKEN) is closed at the next tick.
import type { ServerContext } from '../server/context.ts';
import { liveCalls, LiveTurns } from './live-calls.ts';
import type { LiveSnapshot, LiveTurns as LiveTurnsEvent, TimedTurn } from './shared/types.ts';

export const SNAPSHOT_EVERY_MS = 1000;
/** Open streams at most (a browser tab holds one); more are refused with 429. */
export const MAX_STREAMS = 20;
/** A stream that has this many bytes unread is a stuck client: it is dropped, not buffered. */
const MAX_UNREAD_BYTES = 1024 * 1024;

interface Stream {
  loginId: string;
  controller: ReadableStreamDefaultController<Uint8Array>;
  /** Turns sent so far, by CallSid. */
  sent: Map<string, number>;
}

const encoder = new TextEncoder();
/** JSON has no raw newlines, so each event is one `data:` line. */
const event = (name: string, data: unknown) => encoder.encode(`event: ${name}\ndata: ${JSON.stringify(data)}\n\n`);

export class LiveFeed {
  readonly #streams = new Set<Stream>();
  readonly #turns = new LiveTurns();
  #timer: Timer | undefined;

  constructor(
    private readonly ctx: ServerContext,
    /** Whether a stream's login still holds. */
    private readonly loginValid: (loginId: string) => boolean,
  ) {}

  get streams(): number {
    return this.#streams.size;
  }

  open(loginId: string): Response {
    if (this.#streams.size >= MAX_STREAMS) return Response.json({ error: 'too many open console streams; close a tab' }, { status: 429 });
    let stream: Stream | undefined;
    const body = new ReadableStream<Uint8Array>(
      {
        start: (controller) => {
          stream = { loginId, controller, sent: new Map() };
          this.#streams.add(stream);
          // The browser reconnects by itself after a drop; 2 s is soon enough for a console.
          controller.enqueue(encoder.encode('retry: 2000\n\n'));
          this.#send(stream, this.#snapshot());
          this.#timer ??= setInterval(() => this.#tick(), SNAPSHOT_EVERY_MS).unref();
        },
        cancel: () => stream && this.#close(stream),
      },
      { highWaterMark: MAX_UNREAD_BYTES, size: (chunk) => chunk?.byteLength ?? 0 },
    );
    return new Response(body, {
      headers: { 'content-type': 'text/event-stream', 'cache-control': 'no-store', 'x-accel-buffering': 'no', 'x-content-type-options': 'nosniff' },
    });
  }

  #snapshot(): { snapshot: LiveSnapshot; turns: Map<string, TimedTurn[]> } {
    const now = Date.now();
    const { calls, turns } = liveCalls(this.ctx, this.#turns, now);
    return { snapshot: { at: now, draining: this.ctx.draining, calls }, turns };
  }

  #tick(): void {
    const snapshot = this.#snapshot();
    for (const stream of this.#streams) {
      if (!this.loginValid(stream.loginId)) this.#close(stream, true);
      else this.#send(stream, snapshot);
    }
  }

  #send(stream: Stream, { snapshot, turns }: { snapshot: LiveSnapshot; turns: Map<string, TimedTurn[]> }): void {
    const { controller, sent } = stream;
    if ((controller.desiredSize ?? 0) <= 0) return this.#close(stream, true);
    try {
      controller.enqueue(event('calls', snapshot));
      for (const [callSid, said] of turns) {
        const from = sent.get(callSid) ?? 0;
        if (said.length <= from) continue;
        const update: LiveTurnsEvent = { callSid, from, turns: said.slice(from) };
        controller.enqueue(event('turns', update));
        sent.set(callSid, said.length);
      }
      // Ended calls are forgotten: a stream lives as long as a console tab.
      for (const callSid of sent.keys()) if (!turns.has(callSid)) sent.delete(callSid);
    } catch {
      this.#close(stream);
    }
  }

  #close(stream: Stream, end = false): void {
    this.#streams.delete(stream);
    if (end) {
      try {
        stream.controller.close();
      } catch {
        // Already closed by the client.
      }
    }
    if (this.#streams.size === 0) {
      clearInterval(this.#timer);
      this.#timer = undefined;
    }
  }
}
