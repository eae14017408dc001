// The per-frame path without the SDK's per-frame work (the default; AUDIO_PATH=sdk switches back
// to the SDK's Twilio transport, see sdk-transport.ts). The SDK still runs the session: tools,
// handoffs, guardrails, transcripts, every event except the two that come 50 times a second.
//
// Caller frames arrive already parsed and checked (twilio/frames.ts); Twilio's payload is the
// base64 mu-law that `input_audio_buffer.append` takes, so it is forwarded as it came: no decode,
// no re-encode, no second parse. Model audio deltas are taken off the upstream socket before the
// SDK sees them (parsed once, not validated twice, cloned or decoded) and their base64 goes to
// Twilio as it came, with a mark behind each. What the SDK's Twilio transport does with them is
// done here the same way: marks track what has played, and barge-in sends `clear` and truncates
// each item at its played position. The caller's side (gap filling, silence after inactivity) is
// caller-audio.ts.
import { OpenAIRealtimeWebSocket, type OpenAIRealtimeWebSocketOptions, type TransportLayerAudio } from '@openai/agents/realtime';
import type { InboundFrame, StartFrame } from '../twilio/frames.ts';
import type { StreamSocket } from '../twilio/stream-socket.ts';
import { withAgentSettings, type SessionConfig } from '../agents/session-settings.ts';
import { CallerAudio } from './caller-audio.ts';
import { base64ByteLength, BYTES_PER_MS } from './mulaw.ts';
import { arrayBufferToBase64, base64ToArrayBuffer } from './base64.ts';

/** A mark's echo can lag its audio by a frame or two; truncation allows for it, like the SDK. */
const PLAYED_SLACK_MS = 50;

const DELTA = 'response.output_audio.delta';
const QUOTED_DELTA = `"${DELTA}"`;

/** One model audio content part being played to the caller. */
interface Playback {
  responseId: string;
  itemId: string;
  contentIndex: number;
  sentMs: number;
  playedMs: number;
  doneMarked: boolean;
}

/** A mark sent behind audio; Twilio echoes marks in order once what precedes them has played. */
interface PendingMark {
  seq: number;
  item: Playback;
  endMs: number;
  done: boolean;
}

interface Delta {
  type: typeof DELTA;
  response_id: string;
  item_id: string;
  content_index: number;
  delta: string;
}

function isDelta(event: { type?: unknown; response_id?: unknown; item_id?: unknown; content_index?: unknown; delta?: unknown }): event is Delta {
  return (
    event.type === DELTA &&
    typeof event.delta === 'string' &&
    typeof event.response_id === 'string' &&
    typeof event.item_id === 'string' &&
    typeof event.content_index === 'number'
  );
}

/** The SDK's `audio` event, decoded only if someone reads `data`. */
class DeltaAudio implements TransportLayerAudio {
  readonly type = 'audio' as const;
  constructor(
    private readonly delta: string,
    readonly responseId: string,
  ) {}
  get data(): ArrayBuffer {
    return base64ToArrayBuffer(this.delta);
  }
}

export interface LeanTransportOptions {
  /** The Twilio side: sends go through it, its close ends the session. */
  twilio: StreamSocket;
  /** Opens the upstream socket (Bun's native WebSocket). */
  openSocket: (options: { url: string; apiKey: string }) => Promise<WebSocket>;
}

export class LeanTransport extends OpenAIRealtimeWebSocket {
  readonly #twilio: StreamSocket;
  readonly #agentSettings: () => SessionConfig | undefined;
  #upstream: WebSocket | undefined;
  // Twilio messages are built around the streamSid, which is fixed at `start`.
  #streamSid: string | null = null;
  #mediaPrefix = '';
  #markPrefix = '';
  #clear = '';
  // Playback of model audio on the caller's phone.
  #items: Playback[] = [];
  #marks: PendingMark[] = [];
  #marksHead = 0;
  #markSeq = 0;
  #activeResponseId: string | null = null;
  readonly #discarded = new Set<string>();
  readonly #caller = new CallerAudio(
    (message) => this.#upstream?.send(message),
    () => this.status === 'connected',
  );

  constructor(options: LeanTransportOptions, agentSettings: () => SessionConfig | undefined = () => undefined) {
    const self: { transport?: LeanTransport } = {};
    const sdkOptions: OpenAIRealtimeWebSocketOptions = {
      // Typed as the `ws` package's socket; the SDK uses only the standard WebSocket surface.
      createWebSocket: (async (o: { url: string; apiKey: string }) => {
        const ws = await options.openSocket(o);
        self.transport!.#adopt(ws);
        return ws;
      }) as never,
    };
    super(sdkOptions);
    self.transport = this;
    this.#twilio = options.twilio;
    this.#agentSettings = agentSettings;
    options.twilio.addEventListener('close', () => {
      this.#caller.stop();
      if (this.status !== 'disconnected') this.close();
    });
    this.on('response.created', (event) => {
      if (typeof event.response.id === 'string') this.#activeResponseId = event.response.id;
    });
    this.on('response.done', (event) => {
      const id = event.response.id;
      if (typeof id !== 'string') return;
      this.#discarded.delete(id);
      if (this.#activeResponseId === id) this.#activeResponseId = null;
    });
    this.on('response.output_audio.done', (event) => {
      const item = this.#find(event.response_id, event.item_id, event.content_index);
      if (!item || item.doneMarked) return;
      item.doneMarked = true;
      this.#mark(item, true);
    });
    this.on('input_audio_buffer.speech_started', () => this.#caller.speechStarted());
    this.on('input_audio_buffer.speech_stopped', () => this.#caller.speechStopped());
  }

  override updateSessionConfig(config: SessionConfig): void {
    super.updateSessionConfig(withAgentSettings(config, this.#agentSettings()));
  }

  /** A frame from Twilio that passed the guard (start, media, or one of the SDK's marks). */
  receive(frame: InboundFrame): void {
    switch (frame.event) {
      case 'media':
        if (this.status === 'connected') this.#caller.forward(frame.media);
        return;
      case 'mark':
        return this.#played(frame.mark.name);
      case 'start':
        return this.#start(frame);
    }
  }

  /** The SDK sends these through sendEvent; caller audio comes through receive(). */
  override sendAudio(audio: ArrayBuffer, options: { commit?: boolean } = {}): void {
    if (this.status !== 'connected') return;
    this.sendEvent({ type: 'input_audio_buffer.append', audio: arrayBufferToBase64(audio) });
    if (options.commit) this.sendEvent({ type: 'input_audio_buffer.commit' });
  }

  override interrupt(cancelOngoingResponse = true): void {
    this.#interrupt(cancelOngoingResponse);
  }

  override _interrupt(_elapsedTime: number, cancelOngoingResponse = true): void {
    this.#interrupt(cancelOngoingResponse);
  }

  override _onClose(): void {
    this.#resetPlayback();
    this.#activeResponseId = null;
    this.#discarded.clear();
    this.#caller.reset();
    this.#upstream = undefined;
    super._onClose();
  }

  // ---- upstream: model audio ----

  /** Our listener goes first, so a delta handled here never reaches the SDK's. */
  #adopt(ws: WebSocket): void {
    this.#upstream = ws;
    ws.addEventListener('message', (event: MessageEvent) => {
      const data: unknown = event.data;
      if (typeof data !== 'string' || !data.includes(QUOTED_DELTA)) return;
      let parsed: unknown;
      try {
        parsed = JSON.parse(data);
      } catch {
        return; // the SDK reports it
      }
      if (typeof parsed !== 'object' || parsed === null || !isDelta(parsed)) return;
      event.stopImmediatePropagation();
      if (ws === this.#upstream) this.#play(parsed);
    });
  }

  #play(delta: Delta): void {
    if (this.#discarded.has(delta.response_id) || this.#streamSid === null) return;
    const item = this.#itemFor(delta.response_id, delta.item_id, delta.content_index);
    item.sentMs += base64ByteLength(delta.delta) / BYTES_PER_MS;
    this.#twilio.send(this.#mediaPrefix + delta.delta + '"}}');
    this.#mark(item, false);
    this.emit('audio', new DeltaAudio(delta.delta, delta.response_id));
  }

  #itemFor(responseId: string, itemId: string, contentIndex: number): Playback {
    const last = this.#items[this.#items.length - 1];
    if (last && last.itemId === itemId && last.contentIndex === contentIndex && last.responseId === responseId) return last;
    const found = this.#find(responseId, itemId, contentIndex);
    if (found) return found;
    const item: Playback = { responseId, itemId, contentIndex, sentMs: 0, playedMs: 0, doneMarked: false };
    this.#items.push(item);
    return item;
  }

  #find(responseId: string, itemId: string, contentIndex: number): Playback | undefined {
    return this.#items.find((i) => i.responseId === responseId && i.itemId === itemId && i.contentIndex === contentIndex);
  }

  #mark(item: Playback, done: boolean): void {
    if (this.#streamSid === null) return;
    const seq = ++this.#markSeq;
    this.#marks.push({ seq, item, endMs: item.sentMs, done });
    this.#twilio.send(this.#markPrefix + (done ? 'done:' : '') + seq + '"}}');
  }

  /** Twilio echoed a mark: it and every mark before it have played. */
  #played(name: string): void {
    const seq = Number(name.startsWith('done:') ? name.slice(5) : name);
    if (!Number.isSafeInteger(seq)) return;
    const marks = this.#marks;
    let head = this.#marksHead;
    while (head < marks.length && marks[head]!.seq <= seq) {
      const { item, endMs, done } = marks[head++]!;
      if (done) this.#items = this.#items.filter((i) => i !== item);
      else if (endMs > item.playedMs) item.playedMs = endMs;
    }
    if (head === marks.length) {
      marks.length = 0;
      head = 0;
    } else if (head > 256) {
      marks.splice(0, head);
      head = 0;
    }
    this.#marksHead = head;
  }

  /** Barge-in: stop what is playing, and tell the model how much of each item was heard. */
  #interrupt(cancelOngoingResponse: boolean): void {
    if (this.status !== 'connected') return;
    if (this.#activeResponseId === null && this.#items.length === 0) return;
    const active = this.#activeResponseId;
    this.#activeResponseId = null;
    const truncations = this.#items.map((item, index) => ({
      itemId: item.itemId,
      contentIndex: item.contentIndex,
      // The oldest item has been playing; a later one only if a mark says so.
      audioEndMs: index === 0 || item.playedMs > 0 ? Math.floor(Math.min(item.sentMs, item.playedMs + PLAYED_SLACK_MS)) : 0,
    }));
    if (active !== null) this.#discarded.add(active);
    for (const item of this.#items) this.#discarded.add(item.responseId);
    this.#resetPlayback();
    if (this.#streamSid !== null) this.#twilio.send(this.#clear);
    if (cancelOngoingResponse) this._cancelResponse();
    if (truncations.length === 0) return;
    this.emit('audio_interrupted');
    for (const t of truncations) {
      this.sendEvent({ type: 'conversation.item.truncate', item_id: t.itemId, content_index: t.contentIndex, audio_end_ms: t.audioEndMs });
    }
  }

  /** Marks still out belong to audio that was cleared (Twilio echoes them at once): ignored. */
  #resetPlayback(): void {
    this.#items = [];
    this.#marks.length = 0;
    this.#marksHead = 0;
  }

  // ---- Twilio: the stream ----

  #start(frame: StartFrame): void {
    const sid = JSON.stringify(frame.start.streamSid);
    this.#streamSid = frame.start.streamSid;
    this.#mediaPrefix = `{"event":"media","streamSid":${sid},"media":{"payload":"`;
    this.#markPrefix = `{"event":"mark","streamSid":${sid},"mark":{"name":"`;
    this.#clear = `{"event":"clear","streamSid":${sid}}`;
    this.#caller.start(frame.start.mediaFormat);
    this.#resetPlayback();
  }
}
