// One upstream connection: what the client sent, what the fake answered, and the calls a test
// makes to script the model. The protocol work is delegated to the parts next to this file.
import type { ServerWebSocket } from 'bun';
import { Waits } from '../waits.ts';
import { handleClientEvent } from './client-events.ts';
import { Conversation } from './conversation.ts';
import { InputAudio } from './input-audio.ts';
import { describeTypes, isPlainObject, randomId, type Emit } from './protocol.ts';
import { Responses } from './responses.ts';
import type { ConnData } from './server.ts';
import { initialSession } from './session-config.ts';
import type { SessionParts } from './session-parts.ts';
import type { CallToolResult, FakeResponseRecord, McpCallOutcome, ResponseCreateHandler, SpeakOptions, SpeakResult } from './types.ts';
import { UserTurn } from './user-turn.ts';

export class FakeRealtimeSession {
  /** Request headers of the upgrade, lowercase names. */
  readonly headers: Record<string, string>;
  /** Path + query as requested, e.g. `/v1/realtime?model=gpt-realtime`. */
  readonly url: string;
  readonly model: string;
  /** Every client JSON event received, in order. */
  readonly events: any[] = [];
  /** Every `error` event this fake sent (protocol complaints included): assert it stays empty. */
  readonly errorsSent: any[] = [];
  /** Every server event sent, in order. */
  readonly sent: any[] = [];
  /** Every response this fake produced. */
  readonly responses: FakeResponseRecord[] = [];
  /** The session object as the server holds it (merged `session.update`s). */
  session: Record<string, any>;
  /** Handler for `response.create`; falls back to the server option, then to the auto response. */
  onResponseCreate: ResponseCreateHandler | undefined;
  autoRespond: boolean;
  /** Resolves when the socket closes (either side). */
  readonly closed: Promise<void>;
  closeCode: number | undefined;
  closeReason: string | undefined;

  readonly #ws: ServerWebSocket<ConnData>;
  #open = true;
  readonly #resolveClosed: () => void;
  readonly #waits = new Waits({ owner: 'FakeRealtime', subject: 'session', summary: () => `Seen: ${describeTypes(this.events)}` });
  readonly #parts: SessionParts;

  /** @internal Created by the server when a socket opens. */
  constructor(ws: ServerWebSocket<ConnData>, data: ConnData, opts: { autoRespond: boolean; onResponseCreate?: ResponseCreateHandler }) {
    this.#ws = ws;
    this.headers = data.headers;
    this.url = data.url;
    this.model = data.model;
    this.autoRespond = opts.autoRespond;
    this.onResponseCreate = opts.onResponseCreate;
    const { promise, resolve } = Promise.withResolvers<void>();
    this.closed = promise;
    this.#resolveClosed = resolve;
    this.session = initialSession(this.model);
    const emit: Emit = (type, fields = {}) => {
      this.send({ type, event_id: randomId('event_'), ...fields });
    };
    const conversation = new Conversation(emit);
    const input = new InputAudio();
    const responses = new Responses(this, emit, conversation);
    const turn = new UserTurn(this, emit, conversation, input, responses);
    this.#parts = { session: this, emit, input, conversation, responses, turn };
  }

  get isOpen(): boolean {
    return this.#open;
  }

  /** The request's `Authorization` header, e.g. `Bearer sk-test`. */
  get authorization(): string | undefined {
    return this.headers['authorization'];
  }

  /** The response currently open (created, not done), if any. */
  get activeResponseId(): string | null {
    return this.#parts.responses.active?.record.id ?? null;
  }

  /** Concatenation of every `input_audio_buffer.append` payload, in order. */
  audio(): Uint8Array {
    return this.#parts.input.all();
  }

  /** Client events of one type, in order. */
  eventsOf(type: string): any[] {
    return this.events.filter((e) => e?.type === type);
  }

  /**
   * The first client event of `type` (matching `predicate`) received so far or in the future.
   * Rejects on timeout, or as soon as the socket closes without one.
   */
  waitFor(type: string, predicate?: (e: any) => boolean, timeoutMs = 5000): Promise<any> {
    return this.#wait(type, predicate, timeoutMs, 0);
  }

  /** Like `waitFor`, but only considers events received after this call. */
  waitForNext(type: string, predicate?: (e: any) => boolean, timeoutMs = 5000): Promise<any> {
    return this.#wait(type, predicate, timeoutMs, this.events.length);
  }

  #wait(type: string, predicate: ((e: any) => boolean) | undefined, timeoutMs: number, fromIndex: number): Promise<any> {
    const matches = (e: any) => e?.type === type && (!predicate || predicate(e));
    // Each event is tested once, when it is first seen: a predicate that reads session state
    // (e.g. audio()) resolves with the event after which it became true.
    let next = fromIndex;
    const check = () => {
      for (; next < this.events.length; next++) {
        if (matches(this.events[next])) return this.events[next];
      }
      return undefined;
    };
    const description = `client event "${type}"${predicate ? ' matching the predicate' : ''}`;
    return this.#waits.wait(check, description, timeoutMs);
  }

  // ------------------------------------------------------------------ sending

  /** Send a raw server event (as is). Returns false if the socket is closed. */
  send(event: object): boolean {
    if (!this.#open) return false;
    this.sent.push(event);
    this.#ws.send(JSON.stringify(event));
    return true;
  }

  /** Send `session.created` (automatic unless `autoSessionCreated: false`). */
  sendSessionCreated(): void {
    this.#parts.emit('session.created', { session: structuredClone(this.session) });
  }

  /** A server `error` event (the SDK emits it as its `error` event). */
  sendError(code: string, message: string, extra: { type?: string; param?: string | null; event_id?: string | null } = {}): void {
    const event = {
      type: 'error',
      event_id: randomId('event_'),
      error: {
        type: extra.type ?? 'invalid_request_error',
        code,
        message,
        param: extra.param ?? null,
        event_id: extra.event_id ?? null,
      },
    };
    this.errorsSent.push(event);
    this.send(event);
  }

  /** Close the socket abruptly from the server side: 'terminate' (no close frame: 1006 at the client) or a close code (e.g. 1011). */
  drop(mode: 'terminate' | number = 'terminate', reason = 'fake realtime drop'): void {
    if (!this.#open) return;
    if (mode === 'terminate') this.#ws.terminate();
    else this.#ws.close(mode, reason);
  }

  /** Close the socket cleanly from the server side. */
  close(code = 1000, reason = ''): void {
    if (this.#open) this.#ws.close(code, reason);
  }

  // ------------------------------------------------------------------ scripted responses

  /**
   * The model speaks `audio` (bytes in the session's output format, mu-law for Twilio):
   * response.created, response.output_item.added, conversation.item.added,
   * response.content_part.added, N x response.output_audio.delta, and unless `done: false`:
   * response.output_audio.done, response.output_audio_transcript.done (with a transcript),
   * response.content_part.done, response.output_item.done, conversation.item.done, response.done.
   * If a response is open (`done: false` before), the audio continues the same item.
   */
  speak(audio: Uint8Array, opts: SpeakOptions = {}): Promise<SpeakResult> {
    return this.#parts.responses.speak(audio, opts);
  }

  /**
   * A response whose output is a `function_call` item. The SDK emits its `function_call` event on
   * `response.output_item.done` (status completed). If a response is open, the call is appended
   * to it. `args` may be a string to send malformed JSON on purpose.
   */
  callTool(name: string, args: object | string, opts: { done?: boolean } = {}): Promise<CallToolResult> {
    return this.#parts.responses.callTool(name, args, opts);
  }

  /**
   * A response whose output is a hosted MCP call (`mcp_call` item) the API ran itself, with the
   * events the API sends for one: output_item.added, mcp_call_arguments.delta/.done,
   * mcp_call.in_progress, mcp_call.completed (or .failed), output_item.done and
   * conversation.item.done (where the SDK emits `mcp_tool_call_completed`). If a response is open,
   * the call is appended to it. The fake runs nothing: `outcome` is what the server answered.
   */
  callMcpTool(serverLabel: string, name: string, args: object | string, outcome: McpCallOutcome = { output: '' }, opts: { done?: boolean } = {}): CallToolResult {
    return this.#parts.responses.callMcpTool(serverLabel, name, args, outcome, opts);
  }

  /**
   * An `mcp_list_tools` item, as the API adds one when a session's hosted MCP server has listed
   * its tools: conversation.item.added, mcp_list_tools.in_progress / .completed, and
   * conversation.item.done with the tools (where the SDK takes them).
   */
  listMcpTools(serverLabel: string, names: string[]): string {
    const id = randomId('mcpl_');
    const item = { id, type: 'mcp_list_tools', server_label: serverLabel, tools: [] as object[] };
    this.#parts.conversation.add(structuredClone(item));
    this.#parts.emit('mcp_list_tools.in_progress', { item_id: id });
    this.#parts.emit('mcp_list_tools.completed', { item_id: id });
    item.tools = names.map((name) => ({ name, description: `The ${name} tool.`, input_schema: { type: 'object', properties: {} }, annotations: null }));
    this.#parts.conversation.complete(item);
    return id;
  }

  /** Close the open response (completed, or another status) with all its pending *.done events. */
  finishResponse(status: 'completed' | 'cancelled' | 'incomplete' | 'failed' = 'completed', statusDetails: Record<string, any> | null = null): void {
    this.#parts.responses.finish(status, statusDetails);
  }

  /** `input_audio_buffer.speech_started`, as server VAD sends it. With a response open and
   * `interrupt_response` on (the API default) the response is cancelled, as the real API does.
   * Returns the item id the user's turn will get. */
  speechStarted(opts: { audioStartMs?: number; cancelResponse?: boolean } = {}): string {
    return this.#parts.turn.speechStarted(opts);
  }

  /** `input_audio_buffer.speech_stopped`; then (unless `commit: false`) `input_audio_buffer.committed`
   * and the user's audio item (`conversation.item.added` / `.done`), as server VAD does. */
  speechStopped(opts: { audioEndMs?: number; commit?: boolean } = {}): string {
    return this.#parts.turn.speechStopped(opts);
  }

  /** `conversation.item.input_audio_transcription.completed` for a user audio item. */
  userTranscript(itemId: string, transcript: string): void {
    this.#parts.turn.transcript(itemId, transcript);
  }

  // ------------------------------------------------------------------ socket events

  /** @internal */
  handleMessage(raw: string | Buffer): void {
    if (typeof raw !== 'string') {
      this.sendError('invalid_json', 'Binary frames are not supported; send JSON text frames.');
      return;
    }
    let event: any;
    try {
      event = JSON.parse(raw);
    } catch {
      this.sendError('invalid_json', `The server could not parse the JSON: ${raw.slice(0, 80)}`);
      return;
    }
    if (!isPlainObject(event) || typeof event.type !== 'string') {
      this.sendError('invalid_value', "Missing required parameter: 'type'.", { param: 'type' });
      return;
    }
    this.events.push(event);
    // Handle first, so a waiter's predicate sees the state after the event (e.g. audio()).
    handleClientEvent(this.#parts, event);
    this.#waits.run();
  }

  /** @internal */
  handleClose(code: number, reason: string): void {
    if (!this.#open) return;
    this.#open = false;
    this.closeCode = code;
    this.closeReason = reason;
    this.#parts.responses.active?.cancel();
    this.#waits.close(code);
    this.#resolveClosed();
  }
}
