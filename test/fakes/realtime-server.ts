// A fake OpenAI Realtime API (GA protocol) on loopback, for driving the real server in tests.
//
// It speaks the server events that @openai/agents-realtime 0.20 parses (openaiRealtimeEvents.mjs)
// in the shapes its zod schemas accept. Two things in the SDK make exact shapes matter:
//  - an event that fails its schema silently degrades to a "generic" event: the SDK then ignores
//    it (no audio, no interruption, no tool call), so a sloppy fake makes tests pass for nothing;
//  - message items are validated with `.parse` (not `safeParse`) inside the socket's message
//    listener, so a malformed message item throws inside the SDK.
// Every scripted event here is therefore built to pass those schemas (realtime-server.test.ts
// proves it against a real `OpenAIRealtimeWebSocket`).
import type { Server, ServerWebSocket } from 'bun';
import { concatBytes, fromBase64, isStrictBase64, toBase64 } from './bytes.ts';

export { concatBytes, isStrictBase64 } from './bytes.ts';

// ---------------------------------------------------------------------------------------------
// Options and public types

export interface FakeRealtimeOptions {
  /** Delay before the upgrade is answered (accepted or refused): simulates handshake latency. */
  connectDelayMs?: number;
  /** Answer every upgrade with this HTTP status (e.g. 401) and a JSON error body, no socket. */
  refuse?: number;
  /** Send `session.created` as soon as a socket opens (default true). */
  autoSessionCreated?: boolean;
  /** If set, an upgrade without `Authorization: Bearer <apiKey>` is refused with 401, like the real API. */
  apiKey?: string;
  /**
   * What to do with a `response.create` when no handler is set (default true): answer with a
   * minimal empty `response.created` + `response.done`. With false it is only recorded, and the
   * test answers it (e.g. `await s.waitFor('response.create'); await s.speak(...)`).
   */
  autoRespond?: boolean;
  /** Called for every `response.create` (instead of the auto response) of every session. */
  onResponseCreate?: ResponseCreateHandler;
  /** Model reported in `session.created` when the URL has no `model=` (default 'gpt-realtime'). */
  defaultModel?: string;
}

export type ResponseCreateHandler = (event: any, session: FakeRealtimeSession) => void | Promise<void>;

export interface SpeakOptions {
  /** Bytes per `response.output_audio.delta` (default 160 = 20 ms of mu-law). */
  chunkBytes?: number;
  /** Sent as one `response.output_audio_transcript.delta` and in the `.done` events. */
  transcript?: string;
  /**
   * Close the response (default true). With false the response stays open (no *.done events):
   * call `speak` again to append audio to the same item, or `finishResponse()`; a barge-in
   * (`speechStarted()` or the client's `response.cancel`) ends it as cancelled.
   */
  done?: boolean;
  /**
   * Pause between deltas: a number of ms, or 'realtime' (the chunk's duration in the session's
   * output format). Default: no pause, all deltas are written at once.
   */
  pace?: number | 'realtime';
}

export interface SpeakResult {
  responseId: string;
  itemId: string;
  /** True when the response was cancelled (client `response.cancel` or barge-in) mid-speech. */
  cancelled: boolean;
}

export interface CallToolResult {
  callId: string;
  responseId: string;
  itemId: string;
}

export interface FakeResponseRecord {
  id: string;
  status: 'in_progress' | 'completed' | 'cancelled' | 'incomplete' | 'failed';
  output: any[];
  /** The client's `response.create` this answers, if any. */
  request?: any;
}

// ---------------------------------------------------------------------------------------------
// Small helpers

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
function randomId(prefix: string, length = 20): string {
  const bytes = crypto.getRandomValues(new Uint8Array(length));
  let out = prefix;
  for (const b of bytes) out += ALNUM[b % ALNUM.length];
  return out;
}

function isPlainObject(value: unknown): value is Record<string, any> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Keys whose value the real API replaces as a whole on `session.update` (never merged). */
const REPLACED_KEYS = new Set(['format', 'tools', 'tracing', 'prompt', 'transcription', 'noise_reduction', 'include']);

function mergeSession(base: Record<string, any>, patch: Record<string, any>): Record<string, any> {
  const out: Record<string, any> = { ...base };
  for (const [key, value] of Object.entries(patch)) {
    if (value === undefined) continue;
    if (key === 'turn_detection') {
      out[key] = normalizeTurnDetection(value);
    } else if (!REPLACED_KEYS.has(key) && isPlainObject(value) && isPlainObject(out[key])) {
      out[key] = mergeSession(out[key], value);
    } else {
      out[key] = structuredClone(value);
    }
  }
  return out;
}

/** The real API fills a turn-detection config with its defaults. */
function normalizeTurnDetection(value: unknown): unknown {
  if (!isPlainObject(value)) return value ?? null;
  if (value.type === 'semantic_vad') {
    return { type: 'semantic_vad', eagerness: 'auto', create_response: true, interrupt_response: true, ...value };
  }
  return {
    type: 'server_vad',
    threshold: 0.5,
    prefix_padding_ms: 300,
    silence_duration_ms: 200,
    idle_timeout_ms: null,
    create_response: true,
    interrupt_response: true,
    ...value,
  };
}

/** Bytes per millisecond of an audio format as the GA API (or the legacy names) spells it. */
export function bytesPerMs(format: unknown): number {
  if (isPlainObject(format)) {
    if (format.type === 'audio/pcmu' || format.type === 'audio/pcma') return 8;
    if (format.type === 'audio/pcm') return ((typeof format.rate === 'number' ? format.rate : 24000) * 2) / 1000;
  }
  if (format === 'g711_ulaw' || format === 'g711_alaw') return 8;
  return 48;
}

function describeTypes(events: readonly any[]): string {
  if (events.length === 0) return '(none)';
  const parts: string[] = [];
  let last: string | undefined;
  let count = 0;
  const flush = () => {
    if (last !== undefined) parts.push(count > 1 ? `${last} x${count}` : last);
  };
  for (const e of events) {
    const type = String(e?.type);
    if (type === last) {
      count += 1;
    } else {
      flush();
      last = type;
      count = 1;
    }
  }
  flush();
  return parts.join(', ');
}

const KNOWN_CLIENT_EVENTS = new Set([
  'session.update',
  'input_audio_buffer.append',
  'input_audio_buffer.commit',
  'input_audio_buffer.clear',
  'conversation.item.create',
  'conversation.item.retrieve',
  'conversation.item.truncate',
  'conversation.item.delete',
  'response.create',
  'response.cancel',
  'output_audio_buffer.clear',
]);

// ---------------------------------------------------------------------------------------------
// One upstream connection

interface ConnData {
  headers: Record<string, string>;
  url: string;
  model: string;
  session?: FakeRealtimeSession;
}

interface Waiter {
  type: string;
  predicate?: (e: any) => boolean;
  fromIndex: number;
  resolve: (e: any) => void;
  reject: (err: Error) => void;
  timer: ReturnType<typeof setTimeout>;
  description: string;
}

interface OpenMessage {
  itemId: string;
  outputIndex: number;
  contentIndex: number;
  transcript: string;
  hasTranscript: boolean;
  audioBytes: number;
}

interface ActiveResponse {
  record: FakeResponseRecord;
  outputIndex: number;
  message: OpenMessage | null;
  /** Resolves when the response is cancelled: wakes a paced `speak`. */
  cancelled: Promise<void>;
  cancel: () => void;
  isCancelled: boolean;
}

interface ConversationItem {
  item: Record<string, any>;
  /** Bytes of audio in the item's audio content (assistant audio), for truncate checks. */
  audioBytes: number;
}

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
  readonly #audio: Uint8Array[] = [];
  #audioBytes = 0;
  #uncommittedBytes = 0;
  /** response.create events not yet answered (handler / autoRespond: false): the next response answers the oldest. */
  readonly #pendingRequests: any[] = [];
  #open = true;
  #resolveClosed!: () => void;
  readonly #waiters = new Set<Waiter>();
  readonly #items = new Map<string, ConversationItem>();
  readonly #order: string[] = [];
  #active: ActiveResponse | null = null;
  #speechItemId: string | null = null;
  #speechStartMs = 0;
  readonly #conversationId = randomId('conv_');

  /** @internal Created by the server when a socket opens. */
  constructor(ws: ServerWebSocket<ConnData>, data: ConnData, opts: { autoRespond: boolean; onResponseCreate?: ResponseCreateHandler }) {
    this.#ws = ws;
    this.headers = data.headers;
    this.url = data.url;
    this.model = data.model;
    this.autoRespond = opts.autoRespond;
    this.onResponseCreate = opts.onResponseCreate;
    this.closed = new Promise((resolve) => {
      this.#resolveClosed = resolve;
    });
    this.session = {
      type: 'realtime',
      object: 'realtime.session',
      id: randomId('sess_'),
      model: this.model,
      output_modalities: ['audio'],
      instructions: '',
      tools: [],
      tool_choice: 'auto',
      max_output_tokens: 'inf',
      tracing: null,
      prompt: null,
      expires_at: Math.floor(Date.now() / 1000) + 3600,
      audio: {
        input: {
          format: { type: 'audio/pcm', rate: 24000 },
          transcription: null,
          noise_reduction: null,
          turn_detection: normalizeTurnDetection({ type: 'server_vad' }),
        },
        output: { format: { type: 'audio/pcm', rate: 24000 }, voice: 'marin', speed: 1 },
      },
      include: null,
    };
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
    return this.#active?.record.id ?? null;
  }

  /** Concatenation of every `input_audio_buffer.append` payload, in order. */
  audio(): Uint8Array {
    return concatBytes(this.#audio);
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
    for (let i = fromIndex; i < this.events.length; i++) {
      if (matches(this.events[i])) return Promise.resolve(this.events[i]);
    }
    const description = `client event "${type}"${predicate ? ' matching the predicate' : ''}`;
    if (!this.#open) {
      return Promise.reject(
        new Error(`FakeRealtime: session closed without ${description}. Seen: ${describeTypes(this.events)}`),
      );
    }
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        type,
        predicate,
        fromIndex,
        resolve,
        reject,
        description,
        timer: setTimeout(() => {
          this.#waiters.delete(waiter);
          reject(
            new Error(
              `FakeRealtime: timed out after ${timeoutMs}ms waiting for ${description}. Seen: ${describeTypes(this.events)}`,
            ),
          );
        }, timeoutMs),
      };
      this.#waiters.add(waiter);
    });
  }

  // ------------------------------------------------------------------ sending

  /** Send a raw server event (as is). Returns false if the socket is closed. */
  send(event: object): boolean {
    if (!this.#open) return false;
    this.sent.push(event);
    this.#ws.send(JSON.stringify(event));
    return true;
  }

  #emit(type: string, fields: Record<string, any> = {}): void {
    this.send({ type, event_id: randomId('event_'), ...fields });
  }

  /** Send `session.created` (automatic unless `autoSessionCreated: false`). */
  sendSessionCreated(): void {
    this.#emit('session.created', { session: structuredClone(this.session) });
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
  async speak(audio: Uint8Array, opts: SpeakOptions = {}): Promise<SpeakResult> {
    const chunkBytes = opts.chunkBytes ?? 160;
    if (!(chunkBytes > 0)) throw new Error('speak: chunkBytes must be positive');
    const response = this.#active ?? this.#beginResponse();
    if (!response.message) this.#beginMessage(response);
    const message = response.message!;
    if (opts.transcript !== undefined) {
      message.hasTranscript = true;
      message.transcript += opts.transcript;
      this.#emit('response.output_audio_transcript.delta', {
        response_id: response.record.id,
        item_id: message.itemId,
        output_index: message.outputIndex,
        content_index: message.contentIndex,
        delta: opts.transcript,
      });
    }
    const format = this.session.audio?.output?.format;
    const paceMs = opts.pace === 'realtime' ? chunkBytes / bytesPerMs(format) : (opts.pace ?? 0);
    const started = performance.now();
    let index = 0;
    for (let offset = 0; offset < audio.byteLength; offset += chunkBytes) {
      if (response.isCancelled || !this.#open) break;
      if (paceMs > 0 && index > 0) {
        const due = started + index * paceMs;
        const wait = due - performance.now();
        if (wait > 0) await Promise.race([Bun.sleep(wait), response.cancelled, this.closed]);
        if (response.isCancelled || !this.#open) break;
      }
      const chunk = audio.subarray(offset, Math.min(offset + chunkBytes, audio.byteLength));
      message.audioBytes += chunk.byteLength;
      const stored = this.#items.get(message.itemId);
      if (stored) stored.audioBytes = message.audioBytes;
      this.#emit('response.output_audio.delta', {
        response_id: response.record.id,
        item_id: message.itemId,
        output_index: message.outputIndex,
        content_index: message.contentIndex,
        delta: toBase64(chunk),
      });
      index += 1;
    }
    const result = { responseId: response.record.id, itemId: message.itemId, cancelled: response.isCancelled };
    if ((opts.done ?? true) && !response.isCancelled && this.#active === response) this.finishResponse();
    return result;
  }

  /**
   * A response whose output is a `function_call` item. The SDK emits its `function_call` event on
   * `response.output_item.done` (status completed). If a response is open, the call is appended
   * to it. `args` may be a string to send malformed JSON on purpose.
   */
  async callTool(name: string, args: object | string, opts: { done?: boolean } = {}): Promise<CallToolResult> {
    const response = this.#active ?? this.#beginResponse();
    if (response.message) this.#finishMessage(response, 'completed');
    const itemId = randomId('item_');
    const callId = randomId('call_');
    const argumentsJson = typeof args === 'string' ? args : JSON.stringify(args);
    const outputIndex = response.outputIndex++;
    const base = { id: itemId, object: 'realtime.item', type: 'function_call', name, call_id: callId };
    // `status: in_progress` here matters: the SDK runs the tool on any output_item event whose
    // function_call item is `completed`, so a completed item in `.added` would run it twice.
    const added = { ...base, status: 'in_progress', arguments: '' };
    this.#emit('response.output_item.added', { response_id: response.record.id, output_index: outputIndex, item: added });
    this.#addItem(structuredClone(added));
    this.#emit('response.function_call_arguments.delta', {
      response_id: response.record.id,
      item_id: itemId,
      output_index: outputIndex,
      call_id: callId,
      delta: argumentsJson,
    });
    this.#emit('response.function_call_arguments.done', {
      response_id: response.record.id,
      item_id: itemId,
      output_index: outputIndex,
      call_id: callId,
      arguments: argumentsJson,
    });
    const done = { ...base, status: 'completed', arguments: argumentsJson };
    this.#emit('response.output_item.done', { response_id: response.record.id, output_index: outputIndex, item: done });
    this.#completeItem(structuredClone(done));
    response.record.output.push(done);
    if (opts.done ?? true) this.finishResponse();
    return { callId, responseId: response.record.id, itemId };
  }

  /** Close the open response (completed, or another status) with all its pending *.done events. */
  finishResponse(status: 'completed' | 'cancelled' | 'incomplete' | 'failed' = 'completed', statusDetails: Record<string, any> | null = null): void {
    const response = this.#active;
    if (!response) throw new Error('finishResponse: no response is open');
    if (response.message) this.#finishMessage(response, status === 'completed' ? 'completed' : 'incomplete');
    this.#active = null;
    response.record.status = status;
    this.#emit('response.done', {
      response: this.#responseObject(response.record, status, statusDetails, true),
    });
  }

  /** `input_audio_buffer.speech_started`, as server VAD sends it. With a response open and
   * `interrupt_response` on (the API default) the response is cancelled, as the real API does.
   * Returns the item id the user's turn will get. */
  speechStarted(opts: { audioStartMs?: number; cancelResponse?: boolean } = {}): string {
    this.#speechItemId = randomId('item_');
    this.#speechStartMs = opts.audioStartMs ?? this.#inputAudioMs();
    this.#emit('input_audio_buffer.speech_started', {
      audio_start_ms: this.#speechStartMs,
      item_id: this.#speechItemId,
    });
    const td = this.session.audio?.input?.turn_detection;
    const interrupt = opts.cancelResponse ?? (isPlainObject(td) && td.interrupt_response !== false);
    if (interrupt && this.#active) this.#cancelActive('turn_detected');
    return this.#speechItemId;
  }

  /** `input_audio_buffer.speech_stopped`; then (unless `commit: false`) `input_audio_buffer.committed`
   * and the user's audio item (`conversation.item.added` / `.done`), as server VAD does. */
  speechStopped(opts: { audioEndMs?: number; commit?: boolean } = {}): string {
    const itemId = this.#speechItemId ?? randomId('item_');
    this.#speechItemId = null;
    this.#emit('input_audio_buffer.speech_stopped', {
      audio_end_ms: opts.audioEndMs ?? Math.max(this.#speechStartMs, this.#inputAudioMs()),
      item_id: itemId,
    });
    if (opts.commit ?? true) this.#commitUserAudio(itemId);
    return itemId;
  }

  /** `conversation.item.input_audio_transcription.completed` for a user audio item. */
  userTranscript(itemId: string, transcript: string): void {
    const stored = this.#items.get(itemId);
    const part = stored?.item.content?.[0];
    if (part && part.type === 'input_audio') part.transcript = transcript;
    this.#emit('conversation.item.input_audio_transcription.completed', {
      item_id: itemId,
      content_index: 0,
      transcript,
      logprobs: null,
      usage: { type: 'duration', seconds: 1 },
    });
  }

  // ------------------------------------------------------------------ internals

  #inputAudioMs(): number {
    return Math.floor(this.#audioBytes / bytesPerMs(this.session.audio?.input?.format));
  }

  #beginResponse(request?: any): ActiveResponse {
    if (this.#active) throw new Error('a response is already open');
    const answered = request ?? this.#pendingRequests.shift();
    const record: FakeResponseRecord = { id: randomId('resp_'), status: 'in_progress', output: [], request: answered };
    this.responses.push(record);
    let cancel!: () => void;
    const cancelled = new Promise<void>((resolve) => {
      cancel = resolve;
    });
    const response: ActiveResponse = { record, outputIndex: 0, message: null, cancelled, cancel, isCancelled: false };
    this.#active = response;
    this.#emit('response.created', { response: this.#responseObject(record, 'in_progress', null, false) });
    return response;
  }

  #responseObject(record: FakeResponseRecord, status: string, statusDetails: Record<string, any> | null, done: boolean): Record<string, any> {
    const output = this.session.audio?.output ?? {};
    const requested = isPlainObject(record.request?.response) ? record.request.response : {};
    return {
      object: 'realtime.response',
      id: record.id,
      status,
      status_details: statusDetails,
      output: done ? structuredClone(record.output) : [],
      conversation_id: requested.conversation === 'none' ? null : this.#conversationId,
      output_modalities: requested.output_modalities ?? this.session.output_modalities ?? ['audio'],
      max_output_tokens: this.session.max_output_tokens ?? 'inf',
      audio: { output: { format: structuredClone(output.format ?? null), voice: output.voice ?? 'marin' } },
      usage: done
        ? {
            total_tokens: 0,
            input_tokens: 0,
            output_tokens: 0,
            input_token_details: { text_tokens: 0, audio_tokens: 0, image_tokens: 0, cached_tokens: 0 },
            output_token_details: { text_tokens: 0, audio_tokens: 0 },
          }
        : null,
      metadata: requested.metadata ?? null,
    };
  }

  #beginMessage(response: ActiveResponse): void {
    const message: OpenMessage = {
      itemId: randomId('item_'),
      outputIndex: response.outputIndex++,
      contentIndex: 0,
      transcript: '',
      hasTranscript: false,
      audioBytes: 0,
    };
    response.message = message;
    const item = { id: message.itemId, object: 'realtime.item', type: 'message', status: 'in_progress', role: 'assistant', content: [] };
    this.#emit('response.output_item.added', { response_id: response.record.id, output_index: message.outputIndex, item });
    this.#addItem(structuredClone(item));
    this.#emit('response.content_part.added', {
      response_id: response.record.id,
      item_id: message.itemId,
      output_index: message.outputIndex,
      content_index: message.contentIndex,
      part: { type: 'audio', transcript: '' },
    });
  }

  #finishMessage(response: ActiveResponse, status: 'completed' | 'incomplete'): void {
    const message = response.message;
    if (!message) return;
    response.message = null;
    const ids = {
      response_id: response.record.id,
      item_id: message.itemId,
      output_index: message.outputIndex,
      content_index: message.contentIndex,
    };
    this.#emit('response.output_audio.done', ids);
    if (message.hasTranscript) this.#emit('response.output_audio_transcript.done', { ...ids, transcript: message.transcript });
    this.#emit('response.content_part.done', { ...ids, part: { type: 'audio', transcript: message.transcript } });
    const item = {
      id: message.itemId,
      object: 'realtime.item',
      type: 'message',
      status,
      role: 'assistant',
      content: [{ type: 'output_audio', transcript: message.transcript }],
    };
    this.#emit('response.output_item.done', { response_id: response.record.id, output_index: message.outputIndex, item });
    this.#completeItem(structuredClone(item), message.audioBytes);
    response.record.output.push(item);
  }

  #cancelActive(reason: 'client_cancelled' | 'turn_detected'): void {
    const response = this.#active;
    if (!response) return;
    response.isCancelled = true;
    response.cancel();
    this.finishResponse('cancelled', { type: 'cancelled', reason });
  }

  #addItem(item: Record<string, any>, previousItemId?: string | null): void {
    const previous = previousItemId === undefined ? (this.#order.at(-1) ?? null) : previousItemId;
    this.#items.set(item.id, { item, audioBytes: 0 });
    const at = previous === null ? 0 : this.#order.indexOf(previous) + 1;
    this.#order.splice(at, 0, item.id);
    this.#emit('conversation.item.added', { previous_item_id: previous, item: structuredClone(item) });
  }

  #completeItem(item: Record<string, any>, audioBytes = 0): void {
    const stored = this.#items.get(item.id);
    if (stored) {
      stored.item = item;
      stored.audioBytes = audioBytes;
    }
    const at = this.#order.indexOf(item.id);
    this.#emit('conversation.item.done', { previous_item_id: at > 0 ? this.#order[at - 1] : null, item: structuredClone(item) });
  }

  #commitUserAudio(itemId: string): void {
    this.#uncommittedBytes = 0;
    const previous = this.#order.at(-1) ?? null;
    this.#emit('input_audio_buffer.committed', { previous_item_id: previous, item_id: itemId });
    const item = {
      id: itemId,
      object: 'realtime.item',
      type: 'message',
      status: 'completed',
      role: 'user',
      content: [{ type: 'input_audio', transcript: null }],
    };
    this.#addItem(item);
    this.#completeItem(structuredClone(item));
  }

  #clientError(event: any, code: string, message: string, param: string | null = null): void {
    this.sendError(code, message, { param, event_id: typeof event?.event_id === 'string' ? event.event_id : null });
  }

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
    this.#dispatch(event);
    this.#notify(event);
  }

  #notify(event: any): void {
    const index = this.events.length - 1;
    for (const waiter of this.#waiters) {
      if (index < waiter.fromIndex || event.type !== waiter.type) continue;
      let ok = false;
      try {
        ok = !waiter.predicate || waiter.predicate(event);
      } catch (error) {
        this.#waiters.delete(waiter);
        clearTimeout(waiter.timer);
        waiter.reject(error instanceof Error ? error : new Error(String(error)));
        continue;
      }
      if (ok) {
        this.#waiters.delete(waiter);
        clearTimeout(waiter.timer);
        waiter.resolve(event);
      }
    }
  }

  #dispatch(event: any): void {
    if (!KNOWN_CLIENT_EVENTS.has(event.type)) {
      this.#clientError(event, 'invalid_value', `Invalid value: '${event.type}'. Unknown client event type.`, 'type');
      return;
    }
    switch (event.type) {
      case 'session.update': {
        const session = event.session;
        if (!isPlainObject(session)) {
          this.#clientError(event, 'missing_required_parameter', "Missing required parameter: 'session'.", 'session');
          return;
        }
        if (session.type !== 'realtime') {
          if (session.type === undefined) {
            this.#clientError(event, 'missing_required_parameter', "Missing required parameter: 'session.type'.", 'session.type');
          } else {
            this.#clientError(event, 'invalid_value', `Invalid value: '${session.type}'. Supported values are: 'realtime'.`, 'session.type');
          }
          return;
        }
        const { type: _type, ...patch } = session;
        this.session = mergeSession(this.session, patch);
        this.#emit('session.updated', { session: structuredClone(this.session) });
        return;
      }
      case 'input_audio_buffer.append': {
        if (!isStrictBase64(event.audio)) {
          this.#clientError(event, 'invalid_value', "Invalid 'audio'. Expected base64-encoded audio bytes.", 'audio');
          return;
        }
        const bytes = fromBase64(event.audio);
        this.#audio.push(bytes);
        this.#audioBytes += bytes.byteLength;
        this.#uncommittedBytes += bytes.byteLength;
        return;
      }
      case 'input_audio_buffer.commit': {
        const minBytes = 100 * bytesPerMs(this.session.audio?.input?.format);
        if (this.#uncommittedBytes < minBytes) {
          const ms = Math.floor(this.#uncommittedBytes / bytesPerMs(this.session.audio?.input?.format));
          this.#clientError(
            event,
            'input_audio_buffer_commit_empty',
            `Error committing input audio buffer: buffer too small. Expected at least 100ms of audio, but buffer only has ${ms}ms of audio.`,
          );
          return;
        }
        this.#commitUserAudio(randomId('item_'));
        return;
      }
      case 'input_audio_buffer.clear': {
        this.#uncommittedBytes = 0;
        this.#emit('input_audio_buffer.cleared');
        return;
      }
      case 'conversation.item.create': {
        if (!isPlainObject(event.item)) {
          this.#clientError(event, 'missing_required_parameter', "Missing required parameter: 'item'.", 'item');
          return;
        }
        let previous: string | null | undefined;
        if (typeof event.previous_item_id === 'string') {
          if (event.previous_item_id === 'root') previous = null;
          else if (this.#items.has(event.previous_item_id)) previous = event.previous_item_id;
          else {
            this.#clientError(event, 'item_not_found', `Previous item with id '${event.previous_item_id}' not found.`, 'previous_item_id');
            return;
          }
        }
        const item = {
          ...structuredClone(event.item),
          id: typeof event.item.id === 'string' ? event.item.id : randomId('item_'),
          object: 'realtime.item',
          status: 'completed',
        };
        if (item.type === 'message' && item.role === 'system') delete item.status;
        this.#addItem(item, previous);
        this.#completeItem(structuredClone(item));
        return;
      }
      case 'conversation.item.retrieve': {
        const stored = this.#items.get(event.item_id);
        if (!stored) {
          this.#clientError(event, 'item_not_found', `Item with item_id not found: ${event.item_id}`, 'item_id');
          return;
        }
        this.#emit('conversation.item.retrieved', { item: structuredClone(stored.item) });
        return;
      }
      case 'conversation.item.truncate': {
        const stored = this.#items.get(event.item_id);
        if (!stored) {
          this.#clientError(event, 'item_not_found', `Item with item_id not found: ${event.item_id}`, 'item_id');
          return;
        }
        if (stored.item.role !== 'assistant' || stored.item.type !== 'message') {
          this.#clientError(event, 'invalid_value', 'Only assistant messages with audio can be truncated.', 'item_id');
          return;
        }
        if (!Number.isInteger(event.audio_end_ms) || event.audio_end_ms < 0) {
          this.#clientError(event, 'invalid_value', "Invalid 'audio_end_ms': expected a non-negative integer.", 'audio_end_ms');
          return;
        }
        // The active message's bytes live on the open message until it completes.
        const open = this.#active?.message;
        const audioBytes = open && open.itemId === event.item_id ? open.audioBytes : stored.audioBytes;
        const lengthMs = Math.floor(audioBytes / bytesPerMs(this.session.audio?.output?.format));
        if (event.audio_end_ms > lengthMs) {
          this.#clientError(event, 'invalid_value', `Audio content of ${lengthMs}ms is already shorter than ${event.audio_end_ms}ms`, 'audio_end_ms');
          return;
        }
        // The API drops the unheard transcript with the audio.
        for (const part of stored.item.content ?? []) if (part.type === 'output_audio') part.transcript = '';
        this.#emit('conversation.item.truncated', {
          item_id: event.item_id,
          content_index: event.content_index ?? 0,
          audio_end_ms: event.audio_end_ms,
        });
        return;
      }
      case 'conversation.item.delete': {
        if (!this.#items.delete(event.item_id)) {
          this.#clientError(event, 'item_not_found', `Item with item_id not found: ${event.item_id}`, 'item_id');
          return;
        }
        this.#order.splice(this.#order.indexOf(event.item_id), 1);
        this.#emit('conversation.item.deleted', { item_id: event.item_id });
        return;
      }
      case 'response.create': {
        const handler = this.onResponseCreate;
        if (handler || !this.autoRespond) this.#pendingRequests.push(event);
        if (handler) {
          Promise.resolve()
            .then(() => handler(event, this))
            .catch((error) => console.error('FakeRealtime onResponseCreate handler failed:', error));
          return;
        }
        if (!this.autoRespond) return;
        if (this.#active) {
          this.#clientError(
            event,
            'conversation_already_has_active_response',
            `Conversation already has an active response in progress: ${this.#active.record.id}. Wait until the response is finished before creating a new one.`,
          );
          return;
        }
        this.#beginResponse(event);
        this.finishResponse();
        return;
      }
      case 'response.cancel': {
        if (!this.#active || (typeof event.response_id === 'string' && event.response_id !== this.#active.record.id)) {
          this.#clientError(event, 'response_cancel_not_active', 'Cancellation failed: no active response found.');
          return;
        }
        this.#cancelActive('client_cancelled');
        return;
      }
      default:
        return; // output_audio_buffer.clear: WebRTC/SIP only; nothing to do over WebSocket.
    }
  }

  /** @internal */
  handleClose(code: number, reason: string): void {
    if (!this.#open) return;
    this.#open = false;
    this.closeCode = code;
    this.closeReason = reason;
    this.#active?.cancel();
    for (const waiter of this.#waiters) {
      clearTimeout(waiter.timer);
      waiter.reject(
        new Error(`FakeRealtime: session closed (${code}) without ${waiter.description}. Seen: ${describeTypes(this.events)}`),
      );
    }
    this.#waiters.clear();
    this.#resolveClosed();
  }
}

// ---------------------------------------------------------------------------------------------
// The server

export interface FakeRealtime {
  /** ws://127.0.0.1:PORT/v1/realtime */
  readonly url: string;
  readonly port: number;
  /** Every accepted connection, in order. */
  readonly sessions: FakeRealtimeSession[];
  /** Sockets currently open. */
  readonly openCount: number;
  /** Upgrade requests received, refused ones included. */
  readonly upgradeAttempts: number;
  /** Mutable: refuse further upgrades with this status (undefined = accept). */
  refuse: number | undefined;
  /** Mutable: delay for further upgrades. */
  connectDelayMs: number;
  /** The next accepted session not yet taken by `nextSession` (already accepted or future). */
  nextSession(timeoutMs?: number): Promise<FakeRealtimeSession>;
  stop(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

export async function startFakeRealtime(options: FakeRealtimeOptions = {}): Promise<FakeRealtime> {
  const sessions: FakeRealtimeSession[] = [];
  let taken = 0;
  let openCount = 0;
  let upgradeAttempts = 0;
  let stopped = false;
  const sessionWaiters: Array<{ resolve: (s: FakeRealtimeSession) => void; reject: (e: Error) => void; timer: ReturnType<typeof setTimeout> }> = [];
  const state = {
    refuse: options.refuse as number | undefined,
    connectDelayMs: options.connectDelayMs ?? 0,
  };

  const server: Server<ConnData> = Bun.serve<ConnData>({
    port: 0,
    hostname: '127.0.0.1',
    async fetch(req, srv) {
      const url = new URL(req.url);
      if (req.headers.get('upgrade')?.toLowerCase() !== 'websocket') {
        return new Response('Upgrade Required', { status: 426 });
      }
      upgradeAttempts += 1;
      if (state.connectDelayMs > 0) await Bun.sleep(state.connectDelayMs);
      const headers: Record<string, string> = {};
      req.headers.forEach((value, key) => {
        headers[key.toLowerCase()] = value;
      });
      if (state.refuse !== undefined) {
        return Response.json(
          { error: { type: 'invalid_request_error', code: 'fake_refused', message: `Refused by the fake (HTTP ${state.refuse}).`, param: null } },
          { status: state.refuse },
        );
      }
      if (options.apiKey !== undefined && headers['authorization'] !== `Bearer ${options.apiKey}`) {
        return Response.json(
          { error: { type: 'invalid_request_error', code: 'invalid_api_key', message: 'Incorrect API key provided.', param: null } },
          { status: 401 },
        );
      }
      if (url.pathname !== '/v1/realtime') {
        return Response.json({ error: { type: 'invalid_request_error', message: `Unknown path ${url.pathname}` } }, { status: 404 });
      }
      const data: ConnData = {
        headers,
        url: url.pathname + url.search,
        model: url.searchParams.get('model') ?? options.defaultModel ?? 'gpt-realtime',
      };
      if (srv.upgrade(req, { data })) return undefined;
      return new Response('Upgrade failed', { status: 400 });
    },
    websocket: {
      open(ws) {
        openCount += 1;
        const session = new FakeRealtimeSession(ws, ws.data, {
          autoRespond: options.autoRespond ?? true,
          onResponseCreate: options.onResponseCreate,
        });
        ws.data.session = session;
        sessions.push(session);
        if (options.autoSessionCreated ?? true) session.sendSessionCreated();
        const waiter = sessionWaiters.shift();
        if (waiter) {
          clearTimeout(waiter.timer);
          taken += 1;
          waiter.resolve(session);
        }
      },
      message(ws, message) {
        ws.data.session?.handleMessage(message);
      },
      close(ws, code, reason) {
        openCount -= 1;
        ws.data.session?.handleClose(code, reason);
      },
    },
  });

  const stop = async () => {
    if (stopped) return;
    stopped = true;
    for (const waiter of sessionWaiters.splice(0)) {
      clearTimeout(waiter.timer);
      waiter.reject(new Error('FakeRealtime stopped while waiting for a session'));
    }
    await server.stop(true);
    await Promise.all(sessions.map((s) => (s.isOpen ? Promise.race([s.closed, Bun.sleep(1000)]) : undefined)));
  };

  return {
    url: `ws://127.0.0.1:${server.port}/v1/realtime`,
    port: server.port!,
    sessions,
    get openCount() {
      return openCount;
    },
    get upgradeAttempts() {
      return upgradeAttempts;
    },
    get refuse() {
      return state.refuse;
    },
    set refuse(value: number | undefined) {
      state.refuse = value;
    },
    get connectDelayMs() {
      return state.connectDelayMs;
    },
    set connectDelayMs(value: number) {
      state.connectDelayMs = value;
    },
    nextSession(timeoutMs = 5000) {
      const ready = sessions[taken];
      if (ready) {
        taken += 1;
        return Promise.resolve(ready);
      }
      if (stopped) return Promise.reject(new Error('FakeRealtime is stopped'));
      return new Promise((resolve, reject) => {
        const waiter = {
          resolve,
          reject,
          timer: setTimeout(() => {
            const i = sessionWaiters.indexOf(waiter);
            if (i >= 0) sessionWaiters.splice(i, 1);
            reject(
              new Error(
                `FakeRealtime: no new session within ${timeoutMs}ms (accepted ${sessions.length}, taken ${taken}, upgrade attempts ${upgradeAttempts})`,
              ),
            );
          }, timeoutMs),
        };
        sessionWaiters.push(waiter);
      });
    },
    stop,
    [Symbol.asyncDispose]: stop,
  };
}
