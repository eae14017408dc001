// One call's Media Stream, from the phone network's side: Twilio -> switchboard (connected, start,
// media, dtmf, mark echoes, stop) and switchboard -> Twilio (media, mark, clear) with the player.
import { concatBytes } from '../bytes.ts';
import { Waits } from '../waits.ts';
import type { FakeTwilio } from './fake-twilio.ts';
import { newStreamSid } from './ids.ts';
import { Player, type PlaybackMode } from './player.ts';
import { readOutboundFrame, streamUrlViolations } from './protocol-checks.ts';
import { StreamMessages } from './stream-messages.ts';
import { openStreamSocket } from './stream-socket.ts';
import type { ParsedTwiml } from './twiml.ts';
import { callInProgressParams, type WebhookResult } from './webhook.ts';

interface CallSetup {
  twiml: ParsedTwiml;
  callSid: string;
  from: string;
  to: string;
  playback: PlaybackMode;
  autoMarks: boolean;
  customParameters: Record<string, string>;
  mediaFormat: { encoding: string; sampleRate: number; channels: number };
}

export class FakeCall {
  readonly callSid: string;
  readonly streamSid = newStreamSid();
  readonly accountSid: string;
  readonly twiml: ParsedTwiml;
  ws!: WebSocket;
  /** Decoded media payloads received, in order. */
  readonly media: Uint8Array[] = [];
  /** Names of the marks switchboard sent. */
  readonly marks: string[] = [];
  /** Names of the marks echoed back (played or cleared). */
  readonly markEchoes: string[] = [];
  /** Number of `clear` messages received. */
  clears = 0;
  /** Every JSON message received. */
  readonly messages: any[] = [];
  /** Every message this fake sent (Twilio -> switchboard), parsed. */
  readonly sent: any[] = [];
  /** Anything switchboard sent that real Twilio would reject or ignore. */
  readonly protocolViolations: string[] = [];
  readonly closed: Promise<{ code: number; reason: string }>;

  readonly #twilio: FakeTwilio;
  readonly #setup: CallSetup;
  readonly #player: Player;
  readonly #out: StreamMessages;
  readonly #waits = new Waits({ owner: 'FakeCall', subject: 'stream', summary: () => this.#summary() });
  readonly #resolveClosed: (v: { code: number; reason: string }) => void;
  #isClosed = false;
  #started = false;
  #stopped = false;
  #receivedBytes = 0;

  /** @internal Use FakeTwilio.call(). */
  constructor(twilio: FakeTwilio, setup: CallSetup) {
    this.#twilio = twilio;
    this.#setup = setup;
    this.callSid = setup.callSid;
    this.accountSid = twilio.accountSid;
    this.twiml = setup.twiml;
    const { promise, resolve } = Promise.withResolvers<{ code: number; reason: string }>();
    this.closed = promise;
    this.#resolveClosed = resolve;
    this.#player = new Player(setup.playback, setup.autoMarks, (name) => this.sendMark(name));
    this.#out = new StreamMessages({ accountSid: this.accountSid, callSid: this.callSid, streamSid: this.streamSid });
  }

  get isOpen(): boolean {
    return !this.#isClosed && this.ws?.readyState === WebSocket.OPEN;
  }

  /** @internal */
  open(headers: Record<string, string>): Promise<void> {
    const streamUrl = this.twiml.streamUrl!;
    this.protocolViolations.push(...streamUrlViolations(streamUrl, this.#twilio.publicUrl));
    const { ws, opened } = openStreamSocket(this.#twilio.toServerUrl(streamUrl, 'ws'), headers, {
      message: (data) => this.#onMessage(data),
      close: (code, reason) => this.#onClose(code, reason),
    });
    this.ws = ws;
    return opened;
  }

  // ------------------------------------------------------------------ Twilio -> switchboard

  #send(message: Record<string, unknown>): void {
    if (!this.isOpen) throw new Error(`FakeCall: cannot send ${String(message['event'])}: the stream socket is closed`);
    this.sent.push(message);
    this.ws.send(JSON.stringify(message));
  }

  /** `{event:'connected', protocol:'Call', version:'1.0.0'}` (automatic unless autoStart: false). */
  sendConnected(): void {
    this.#send(this.#out.connected());
  }

  /** The `start` message (automatic unless autoStart: false). */
  sendStart(): void {
    this.#started = true;
    this.#send(this.#out.start(this.#setup.customParameters, this.#setup.mediaFormat));
  }

  /** One media frame. `timestampMs` overrides the media clock (which then continues from there). */
  sendMedia(payload: Uint8Array, opts: { timestampMs?: number } = {}): void {
    this.#send(this.#out.media(payload, opts.timestampMs));
  }

  /** Advance the media clock without sending: Twilio skipping silent frames (a real gap). */
  skipMs(ms: number): void {
    this.#out.skipMs(ms);
  }

  /** The media clock: ms of inbound audio since the stream started. */
  get mediaTimestampMs(): number {
    return this.#out.mediaTimestampMs;
  }

  /**
   * Caller audio, in 160-byte (20 ms) frames; `realtime` paces one frame per 20 ms like a phone.
   * Stops early (resolving with the frames sent) if the socket closes.
   */
  async sendAudio(bytes: Uint8Array, opts: { realtime?: boolean } = {}): Promise<number> {
    const started = performance.now();
    let frames = 0;
    for (let offset = 0; offset < bytes.byteLength; offset += 160) {
      if (opts.realtime && frames > 0) {
        const wait = started + frames * 20 - performance.now();
        if (wait > 0) await Bun.sleep(wait);
      }
      if (!this.isOpen) break;
      this.sendMedia(bytes.subarray(offset, Math.min(offset + 160, bytes.byteLength)));
      frames += 1;
    }
    return frames;
  }

  sendDtmf(digit: string): void {
    this.#send(this.#out.dtmf(digit));
  }

  /** A mark echo, by hand (for `autoMarks: false`). */
  sendMark(name: string): void {
    if (!this.isOpen) return;
    this.markEchoes.push(name);
    this.#send(this.#out.mark(name));
    this.#waits.run();
  }

  /** The `stop` message only (real Twilio then closes the socket: see hangup()). */
  sendStop(): void {
    this.#stopped = true;
    this.#send(this.#out.stop());
  }

  /** Any frame, unchecked. */
  sendRaw(data: string | Uint8Array): void {
    if (!this.isOpen) throw new Error('FakeCall: cannot sendRaw: the stream socket is closed');
    this.ws.send(data);
  }

  /** The caller hangs up: `stop`, then Twilio closes the socket. Resolves when it is closed. */
  async hangup(): Promise<{ code: number; reason: string }> {
    if (this.isOpen) {
      if (!this.#stopped) this.sendStop();
      this.ws.close(1000, 'Call ended');
    }
    return this.closed;
  }

  /**
   * What Twilio does after the stream ends: request the `<Connect action>` URL (signed), with the
   * call's params. Returns the answer (its `twiml` is what Twilio would run next).
   */
  requestAction(extra: Record<string, string> = {}): Promise<WebhookResult> {
    const action = this.twiml.connectAction;
    if (!action) throw new Error('FakeCall: the TwiML has no <Connect action>');
    const { from, to } = this.#setup;
    const params = callInProgressParams({ accountSid: this.accountSid, callSid: this.callSid, from, to });
    return this.#twilio.request(action, { ...params, ...extra });
  }

  // ------------------------------------------------------------------ switchboard -> Twilio

  /** Every media payload received, concatenated (cleared audio included). */
  receivedAudio(): Uint8Array {
    return concatBytes(this.media);
  }

  /** What the caller actually heard so far: with `playback: 'realtime'`, audio dropped by `clear` and not yet played is left out. */
  heardAudio(): Uint8Array {
    return this.#player.heard();
  }

  /** Ms of received audio not yet played (always 0 with `playback: 'instant'`). */
  get bufferedMs(): number {
    return this.#player.bufferedMs;
  }

  /** Messages of one event type, in order. */
  messagesOf(event: string): any[] {
    return this.messages.filter((m) => m?.event === event);
  }

  /** The first received message matching `predicate` (already received or future). */
  waitFor(predicate: (message: any) => boolean, timeoutMs = 5000): Promise<any> {
    return this.#waits.wait(() => this.messages.find(predicate), 'a message matching the predicate', timeoutMs);
  }

  /**
   * Resolves with the first non-undefined, non-false value of `check`, evaluated now, after every
   * message received and after every mark echo (e.g. `() => call.markEchoes.length >= 3`).
   */
  waitUntil<T>(check: () => T | undefined | false, timeoutMs = 5000, description = 'the condition'): Promise<T> {
    return this.#waits.wait(() => {
      const value = check();
      return value === false ? undefined : value;
    }, description, timeoutMs);
  }

  /** Resolves when at least `n` bytes of media have been received. */
  waitForAudioBytes(n: number, timeoutMs = 5000): Promise<Uint8Array> {
    return this.#waits.wait(
      () => (this.#receivedBytes >= n ? this.receivedAudio() : undefined),
      `${n} bytes of audio (have ${this.#receivedBytes})`,
      timeoutMs,
    );
  }

  /** Resolves when the socket closes (with a timeout, unlike `closed`). */
  waitForClose(timeoutMs = 5000): Promise<{ code: number; reason: string }> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`FakeCall: the stream socket did not close within ${timeoutMs}ms`)), timeoutMs);
    });
    return Promise.race([this.closed, timeout]).finally(() => clearTimeout(timer));
  }

  #summary(): string {
    const counts = new Map<string, number>();
    for (const m of this.messages) counts.set(String(m?.event), (counts.get(String(m?.event)) ?? 0) + 1);
    const seen = [...counts].map(([e, n]) => `${e} x${n}`).join(', ') || '(none)';
    const violations = this.protocolViolations.length ? ` Violations: ${this.protocolViolations.join('; ')}` : '';
    return `Received: ${seen}; ${this.#receivedBytes} audio bytes.${violations}`;
  }

  #onMessage(data: unknown): void {
    const frame = readOutboundFrame(data, { started: this.#started, streamSid: this.streamSid });
    if (frame.message !== undefined) this.messages.push(frame.message);
    this.protocolViolations.push(...frame.violations);
    if (frame.media) {
      this.media.push(frame.media);
      this.#receivedBytes += frame.media.byteLength;
      this.#player.media(frame.media);
    } else if (frame.mark !== undefined) {
      this.marks.push(frame.mark);
      this.#player.mark(frame.mark);
    } else if (frame.clear) {
      this.clears += 1;
      this.#player.clear();
    }
    this.#waits.run();
  }

  #onClose(code: number, reason: string): void {
    if (this.#isClosed) return;
    this.#isClosed = true;
    this.#player.stop();
    this.#waits.close(code);
    this.#resolveClosed({ code, reason });
  }

  /** Hang up if still open, and wait (bounded) for the close. */
  async [Symbol.asyncDispose](): Promise<void> {
    if (this.ws === undefined) return;
    if (this.isOpen) {
      try {
        await Promise.race([this.hangup(), Bun.sleep(2000)]);
        return;
      } catch {
        // fall through: already closing
      }
    }
    if (!this.#isClosed && this.ws.readyState !== WebSocket.CLOSED) {
      this.ws.close();
      await Promise.race([this.closed, Bun.sleep(2000)]);
    }
  }
}
