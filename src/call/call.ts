// One phone call: a Twilio media stream bridged to a Realtime session (see upstream.ts). The call
// owns its lifecycle, timers and record; whatever happens on it stays on it.
import type { ServerWebSocket } from 'bun';
import type { AgentSet } from '../agents/compile.ts';
import { decodeFacts, renderCallFacts, type CallControl, type CallFacts, type TransferRequest } from '../agents/line.ts';
import { errorMessage, type Logger } from '../log/logger.ts';
import type { Redemption } from '../server/stream-tokens.ts';
import { parseFrame, type MediaFrame, type StartFrame } from '../twilio/frames.ts';
import { Farewell, FAREWELL_MARK } from './farewell.ts';
import { Keypad } from './keypad.ts';
import { observeSession } from './observe.ts';
import type { EndReason } from './end-reason.ts';
import { logEnded, newRecord, transcriptOf, type CallRecord } from './record.ts';
import type { CallTimings } from '../store/rows.ts';
import type { OnToolRun } from './tool-runs.ts';
import { UpstreamTimeout, type Upstream } from './upstream.ts';

/** Twilio frames are a few hundred bytes; a frame this big is not Twilio. */
export const MAX_FRAME_BYTES = 16 * 1024;
const POLICY_VIOLATION = 1008;
/** Caller audio held while the upstream connects: 10 s of 20 ms frames, then the oldest goes. */
export const MAX_HELD_FRAMES = 500;
/** Twilio sends `start` right after the socket opens; a socket that does not is not a call. */
export const START_TIMEOUT_MS = 10_000;
const MAX_DTMF_DIGITS = 100;

export interface CallOptions {
  agentSet: AgentSet;
  log: Logger;
  /** The Realtime session for this call: a pre-warmed one, or a new one. */
  upstreamFor: (agentId: string, facts: CallFacts) => Upstream;
  /** Checks the stream token presented at `start`, and that the parameters beside it are the ones it was minted with. */
  authorize: (callSid: string, parameters: Record<string, string>) => Redemption | Promise<Redemption>;
  onEnd?: (call: Call) => void;
  /** Default START_TIMEOUT_MS. */
  startTimeoutMs?: number;
  /** Default FAREWELL_MAX_MS. */
  farewellMaxMs?: number;
  /** Each tool run as it ends (the server's metrics). */
  onToolRun?: OnToolRun;
}

export class Call implements CallControl {
  readonly record: CallRecord;
  readonly #ws: ServerWebSocket<unknown>;
  readonly #options: CallOptions;
  #upstream: Upstream | undefined;
  /** Caller frames that arrived before the upstream was ready, in order; null once it is. */
  #held: { frame: MediaFrame; raw: string }[] | null = null;
  #log: Logger;
  #ended = false;
  #startedAt = 0;
  #lastAudioAt = Date.now();
  #startTimer: Timer | undefined;
  #maxTimer: Timer | undefined;
  #idleTimer: Timer | undefined;
  #keypad: Keypad | undefined;
  /** A token being checked against a shared store (several instances). */
  #authorizing = false;
  #farewell: Farewell | undefined;
  // Plain counts, read when /metrics is scraped: the frame path makes no metrics library call.
  /** Frames Twilio sent on this stream. */
  framesIn = 0;
  /** Agent audio chunks sent to Twilio. */
  framesOut = 0;
  /** Caller frames held while the upstream connected. */
  framesHeld = 0;
  /** performance.now() when Twilio's stream socket opened (the record's startedAt, on the clock upstreams use). */
  readonly openedAt = performance.now();

  constructor(ws: ServerWebSocket<unknown>, options: CallOptions) {
    this.#ws = ws;
    this.#options = options;
    this.#log = options.log;
    this.record = newRecord(Date.now());
    this.#startTimer = setTimeout(() => this.end('no_start'), options.startTimeoutMs ?? START_TIMEOUT_MS);
  }

  get ended(): boolean {
    return this.#ended;
  }

  get callSid(): string | undefined {
    return this.record.callSid;
  }

  /** The config this call started with (a reload does not change it): its redactor, its limits. */
  get agentSet(): AgentSet { return this.#options.agentSet; }

  get upstream(): Upstream | undefined {
    return this.#upstream;
  }

  /** What the caller has waited for so far (see timings.ts); undefined before the stream has a session. */
  get timings(): CallTimings | undefined {
    return this.#upstream?.timings.of(this);
  }

  /** Every frame from Twilio comes through here; only well-formed ones reach the transport. */
  receive(data: string | Buffer): void {
    if (this.#ended) return;
    this.framesIn++;
    if (data.length > MAX_FRAME_BYTES) return this.end('frame_too_large');
    const frame = parseFrame(data);
    if (typeof frame === 'string') return this.#reject(frame);
    const upstream = this.#upstream;
    switch (frame.event) {
      case 'media':
        // While a shared store confirms the token, the caller's first words wait with the rest.
        if (!upstream) return this.#authorizing ? this.#hold(frame, data as string) : this.#reject('media_before_start');
        this.#lastAudioAt = Date.now();
        // Audio sent before the session is connected would be dropped; the first words matter most.
        if (this.#held) return this.#hold(frame, data as string);
        break;
      case 'start':
        if (upstream || this.#authorizing) return this.#reject('second_start');
        return this.#start(frame, data as string);
      case 'dtmf':
        // Digits can be PINs or card numbers: kept in the record (bounded), never logged.
        if (this.record.dtmf.length < MAX_DTMF_DIGITS) this.record.dtmf.push(frame.dtmf.digit);
        this.#keypad?.press(frame.dtmf.digit);
        break;
      case 'mark':
        // Ours (see Farewell) never reaches the SDK, which knows only its own.
        if (frame.mark.name === FAREWELL_MARK) return this.#farewell?.played();
        break;
      case 'stop':
        return this.end('caller_hangup');
    }
    upstream?.forward(frame, data as string);
  }

  /** Bun reports the stream socket closed, whoever closed it. */
  closed(code: number, reason: string): void {
    // The reason first: telling the transport closes the upstream, which must not read as its fault.
    this.end('stream_closed');
    this.#upstream?.socket.closed(code, reason);
  }

  end(reason: EndReason): void {
    if (this.#ended) return;
    this.#ended = true;
    clearTimeout(this.#startTimer);
    clearTimeout(this.#maxTimer);
    clearTimeout(this.#idleTimer);
    this.#keypad?.stop();
    this.#farewell?.cancel();
    const record = this.record;
    record.endReason = reason;
    record.endedAt = Date.now();
    const upstream = this.#upstream;
    if (upstream) {
      record.transcript = transcriptOf(upstream.session.history, record.spokenBy);
      upstream.close();
    }
    // Closing our side makes Twilio request the <Connect action> URL, which answers with the
    // fallback: the caller is never left in silence.
    const code = reason === 'frame_too_large' || reason === 'bad_token' || reason === 'no_start' ? POLICY_VIOLATION : 1000;
    try {
      this.#ws.close(code, reason);
    } catch {
      // Already closed.
    }
    logEnded(record, this.#log, { redact: this.agentSet.redact, content: this.agentSet.config.logging.content });
    this.#options.onEnd?.(this);
  }

  #start(frame: StartFrame, raw: string): void {
    const { authorize } = this.#options;
    const { callSid, customParameters = {} } = frame.start;
    clearTimeout(this.#startTimer);
    this.#log = this.#log.child({ callSid });

    const redemption = authorize(callSid, customParameters);
    if (typeof redemption !== 'string') {
      this.#authorizing = true;
      this.#held = [];
      void redemption.then((result) => {
        this.#authorizing = false;
        if (!this.#ended) this.#begin(frame, raw, result);
      });
      return;
    }
    this.#begin(frame, raw, redemption);
  }

  #begin(frame: StartFrame, raw: string, redemption: Redemption): void {
    const { agentSet } = this.#options;
    const { callSid, streamSid, customParameters = {} } = frame.start;
    if (redemption !== 'ok') {
      this.#log.warn('stream refused: stream token', { result: redemption });
      return this.end('bad_token');
    }
    // Only now is this stream that call: a refused one must not speak for it (e.g. its ending).
    this.record.callSid = callSid;
    this.record.streamSid = streamSid;
    const agentId = customParameters.agent ?? agentSet.entryId;
    if (!agentSet.agents.has(agentId)) {
      this.#log.warn('stream named an unknown agent', { agent: agentId });
      return this.end('unknown_agent');
    }
    this.record.agent = agentId;
    this.#startedAt = performance.now();
    this.#log.info('call started', { agent: agentId, streamSid });

    const upstream = this.#options.upstreamFor(agentId, decodeFacts(callSid, customParameters.call));
    this.#upstream = upstream;
    upstream.log = this.#log;
    upstream.line.control = this;
    upstream.socket.attach(this.#ws);
    upstream.forward(frame, raw);
    observeSession(upstream.session, { record: this.record, log: this.#log, approvals: agentSet.config.approvals, line: upstream.line, onToolRun: this.#options.onToolRun });
    upstream.transport.on('audio', () => {
      this.#lastAudioAt = Date.now();
      this.framesOut++;
    });
    upstream.transport.on('connection_change', (status) => {
      if (status === 'disconnected' && upstream.isReady) this.end('upstream_closed');
    });
    const dtmf = agentSet.config.agents[agentId]?.dtmf;
    if (dtmf) this.#keypad = new Keypad(dtmf, (text) => upstream.session.sendMessage(text));
    if (!upstream.isReady) this.#held ??= [];
    upstream.ready.then(
      () => {
        if (this.#ended) return;
        const held = this.#held ?? [];
        this.#held = null;
        for (const { frame, raw } of held) upstream.forward(frame, raw);
        const readyAt = upstream.readyAt ?? performance.now();
        this.#greet(agentId);
        this.#log.info('upstream ready', {
          // How long the Realtime handshake took, and how long this stream waited for it.
          connectMs: Math.round(upstream.connectMs ?? 0),
          waitedMs: Math.max(0, Math.round(readyAt - this.#startedAt)),
          prewarmed: upstream.openedAt < this.#startedAt,
          heldFrames: held.length,
        });
      },
      (error: unknown) => {
        if (this.#ended) return;
        const timedOut = error instanceof UpstreamTimeout;
        this.#log.error(timedOut ? 'upstream timed out' : 'upstream connect failed', { error: errorMessage(error) });
        this.end(timedOut ? 'upstream_timeout' : 'upstream_failed');
      },
    );
    this.#startTimers();
  }

  /** hang_up: the call ends once the agent's goodbye has played. */
  hangUp(): void {
    this.#endAfterSpeech('agent_hangup');
  }

  /** transfer: once the announcement has played, the stream ends and /call-ended dials `request.to`. */
  transfer(request: TransferRequest): void {
    this.record.transfer = request;
    this.#endAfterSpeech('transferred');
  }

  #endAfterSpeech(reason: EndReason): void {
    const upstream = this.#upstream;
    if (!upstream || this.#ended || this.#farewell) return;
    this.#log.info(reason === 'transferred' ? 'transfer requested' : 'hang-up requested', { to: this.record.transfer?.to });
    const streamSid = this.record.streamSid;
    const mark = (name: string) => this.#ws.send(JSON.stringify({ event: 'mark', streamSid, mark: { name } }));
    this.#farewell = new Farewell(upstream.transport, mark, () => this.end(reason), this.#options.farewellMaxMs);
  }

  /** The agent's `first_message`, asked for as soon as both the stream and the session are up. */
  #greet(agentId: string): void {
    const upstream = this.#upstream;
    const text = this.#options.agentSet.config.agents[agentId]?.first_message;
    if (!upstream || text === undefined) return;
    const line = renderCallFacts(text, upstream.line.facts);
    upstream.transport.sendEvent({
      type: 'response.create',
      response: { instructions: `Greet the caller by saying exactly this, and nothing else: "${line}"` },
    });
  }

  #hold(frame: MediaFrame, raw: string): void {
    const held = this.#held!;
    if (held.length >= MAX_HELD_FRAMES) {
      held.shift();
      this.#reject('held_overflow');
    }
    held.push({ frame, raw });
    this.framesHeld++;
  }

  #startTimers(): void {
    const { max_call_seconds, idle_seconds } = this.#options.agentSet.config.limits;
    this.#maxTimer = setTimeout(() => this.end('max_duration'), max_call_seconds * 1000);
    // Resetting a timer on every frame (100 a second) costs more than a periodic look.
    const idleMs = idle_seconds * 1000;
    const every = Math.min(idleMs / 4, 1000);
    const check = () => {
      if (Date.now() - this.#lastAudioAt >= idleMs) return this.end('idle');
      this.#idleTimer = setTimeout(check, every);
    };
    this.#idleTimer = setTimeout(check, every);
  }

  #reject(reason: string): void {
    const counts = this.record.rejectedFrames;
    counts[reason] = (counts[reason] ?? 0) + 1;
    // One line per kind of trouble, not per frame: a flood must not flood the log.
    if (counts[reason] === 1) this.#log.warn('ignored a stream frame', { reason });
  }
}
