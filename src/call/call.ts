// One phone call: a Twilio media stream bridged to a Realtime session through the SDK's Twilio
// transport. The call owns its lifecycle; whatever happens on it stays on it.
import { TwilioRealtimeTransportLayer } from '@openai/agents-extensions';
import { RealtimeSession } from '@openai/agents/realtime';
import type { ServerWebSocket } from 'bun';
import type { AgentSet } from '../agents/compile.ts';
import { errorMessage, type Logger } from '../log/logger.ts';
import { parseFrame, type StartFrame } from '../twilio/frames.ts';
import { StreamSocket } from '../twilio/stream-socket.ts';
import { observeSession } from './observe.ts';
import { newRecord, transcriptOf, type CallRecord } from './record.ts';

export interface CallOptions {
  agentSet: AgentSet;
  apiKey: string;
  /** Full Realtime WebSocket URL, model included. */
  upstreamUrl: string;
  log: Logger;
  onEnd?: (call: Call) => void;
  now?: () => number;
}

export type EndReason =
  | 'caller_hangup' // Twilio sent `stop`
  | 'stream_closed' // the media stream socket closed without `stop`
  | 'upstream_failed' // the Realtime session could not be opened
  | 'upstream_closed' // the Realtime session went away mid-call
  | 'unknown_agent' // `start` named an agent this server does not have
  | 'shutdown'; // the server is stopping

export class Call {
  readonly socket: StreamSocket;
  readonly record: CallRecord;
  readonly #transport: TwilioRealtimeTransportLayer;
  readonly #options: CallOptions;
  #session: RealtimeSession | undefined;
  #log: Logger;
  #upstreamReady = false;
  #ended = false;

  constructor(ws: ServerWebSocket<unknown>, options: CallOptions) {
    this.#options = options;
    this.#log = options.log;
    this.record = newRecord(this.#now());
    this.socket = new StreamSocket(ws);
    // The transport is created at once so it sees `start` (the seed: speed matters).
    // Its type names the DOM/ws WebSocket; it only calls the surface StreamSocket provides.
    this.#transport = new TwilioRealtimeTransportLayer({
      twilioWebSocket: this.socket as unknown as WebSocket,
    });
    this.#transport.on('connection_change', (status) => {
      if (status === 'disconnected' && this.#upstreamReady) this.end('upstream_closed');
    });
  }

  get ended(): boolean {
    return this.#ended;
  }

  get callSid(): string | undefined {
    return this.record.callSid;
  }

  /** Every frame from Twilio comes through here; only well-formed ones reach the transport. */
  receive(data: string | Buffer): void {
    if (this.#ended) return;
    const frame = parseFrame(data);
    if (typeof frame === 'string') return this.#reject(frame);
    switch (frame.event) {
      case 'start':
        if (this.#session) return this.#reject('second_start');
        this.#start(frame);
        break;
      case 'media':
        if (!this.#session) return this.#reject('media_before_start');
        break;
      case 'dtmf':
        this.record.dtmf.push(frame.dtmf.digit);
        this.#log.info('dtmf', { digit: frame.dtmf.digit });
        break;
      case 'stop':
        return this.end('caller_hangup');
    }
    this.socket.deliver(data as string);
  }

  /** Bun reports the stream socket closed. */
  closed(code: number, reason: string): void {
    this.socket.closed(code, reason);
    this.end('stream_closed');
  }

  end(reason: EndReason): void {
    if (this.#ended) return;
    this.#ended = true;
    const record = this.record;
    record.endReason = reason;
    record.endedAt = this.#now();
    try {
      if (this.#session) {
        record.transcript = transcriptOf(this.#session.history);
        this.#session.close();
      } else {
        this.#transport.close();
      }
    } catch (error) {
      this.#log.warn('closing the session failed', { error: errorMessage(error) });
    }
    // Closing our side makes Twilio run the TwiML after </Connect>: the caller is never left in silence.
    this.socket.close(1000, reason);
    this.#log.info('call ended', {
      reason,
      seconds: Math.round((record.endedAt - record.startedAt) / 100) / 10,
      turns: record.transcript.length,
      tools: record.tools.length,
      rejectedFrames: Object.values(record.rejectedFrames).reduce((a, b) => a + b, 0) || undefined,
    });
    this.#options.onEnd?.(this);
  }

  #start(frame: StartFrame): void {
    const { agentSet } = this.#options;
    const { callSid, streamSid, customParameters } = frame.start;
    this.record.callSid = callSid;
    this.record.streamSid = streamSid;
    this.#log = this.#log.child({ callSid });
    const agentId = customParameters?.agent ?? agentSet.entryId;
    const agent = agentSet.agents.get(agentId);
    if (!agent) {
      this.#log.warn('stream named an unknown agent', { agent: agentId });
      return this.end('unknown_agent');
    }
    this.record.agent = agentId;
    this.#log.info('call started', { agent: agentId, streamSid });

    const session = new RealtimeSession(agent, { transport: this.#transport, model: agentSet.model });
    this.#session = session;
    observeSession(session, { record: this.record, log: this.#log, approvals: agentSet.config.approvals });
    const begun = this.#now();
    session
      .connect({ apiKey: this.#options.apiKey, url: this.#options.upstreamUrl })
      .then(() => {
        if (this.#ended) return;
        this.#upstreamReady = true;
        this.#log.info('upstream ready', { ms: this.#now() - begun });
      })
      .catch((error: unknown) => {
        if (this.#ended) return;
        this.#log.error('upstream connect failed', { error: errorMessage(error) });
        this.end('upstream_failed');
      });
  }

  #reject(reason: string): void {
    const counts = this.record.rejectedFrames;
    counts[reason] = (counts[reason] ?? 0) + 1;
    // One line per kind of trouble, not per frame: a flood must not flood the log.
    if (counts[reason] === 1) this.#log.warn('ignored a stream frame', { reason });
  }

  #now(): number {
    return this.#options.now?.() ?? Date.now();
  }
}
