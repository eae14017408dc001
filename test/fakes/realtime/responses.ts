// Scripted model responses: the open response, and the events of speaking, of calling a tool and
// of a hosted MCP call (run by the API itself).
import { toBase64 } from '../bytes.ts';
import { beginMessage, contentIds, finishMessage } from './assistant-message.ts';
import type { Conversation } from './conversation.ts';
import { bytesPerMs, randomId, type Emit } from './protocol.ts';
import { responseObject } from './response-object.ts';
import type { FakeRealtimeSession } from './session.ts';
import type { CallToolResult, FakeResponseRecord, McpCallOutcome, SpeakOptions, SpeakResult } from './types.ts';

export interface OpenMessage {
  itemId: string;
  outputIndex: number;
  contentIndex: number;
  transcript: string;
  hasTranscript: boolean;
  audioBytes: number;
}

export interface ActiveResponse {
  record: FakeResponseRecord;
  outputIndex: number;
  message: OpenMessage | null;
  /** Resolves when the response is cancelled: wakes a paced `speak`. */
  cancelled: Promise<void>;
  cancel: () => void;
  isCancelled: boolean;
}

/** What responses read from (and record into) their session. */
type SessionView = Pick<FakeRealtimeSession, 'session' | 'isOpen' | 'closed' | 'responses'>;

export class Responses {
  /** The response currently open (created, not done), if any. */
  active: ActiveResponse | null = null;
  /** response.create events not yet answered (handler / autoRespond: false): the next response answers the oldest. */
  readonly pending: any[] = [];
  readonly #session: SessionView;
  readonly #emit: Emit;
  readonly #conversation: Conversation;
  readonly #conversationId = randomId('conv_');

  constructor(session: SessionView, emit: Emit, conversation: Conversation) {
    this.#session = session;
    this.#emit = emit;
    this.#conversation = conversation;
  }

  /** Open a response answering `request` (default: the oldest unanswered `response.create`). */
  begin(request?: any): ActiveResponse {
    if (this.active) throw new Error('a response is already open');
    const answered = request ?? this.pending.shift();
    const record: FakeResponseRecord = { id: randomId('resp_'), status: 'in_progress', output: [], request: answered };
    this.#session.responses.push(record);
    const { promise: cancelled, resolve: cancel } = Promise.withResolvers<void>();
    const response: ActiveResponse = { record, outputIndex: 0, message: null, cancelled, cancel, isCancelled: false };
    this.active = response;
    this.#emit('response.created', { response: this.#object(record, 'in_progress', null, false) });
    return response;
  }

  /** Close the open response with its pending *.done events. */
  finish(status: 'completed' | 'cancelled' | 'incomplete' | 'failed' = 'completed', statusDetails: Record<string, any> | null = null): void {
    const response = this.active;
    if (!response) throw new Error('finishResponse: no response is open');
    if (response.message) finishMessage(response, status === 'completed' ? 'completed' : 'incomplete', this.#emit, this.#conversation);
    this.active = null;
    response.record.status = status;
    this.#emit('response.done', {
      response: this.#object(response.record, status, statusDetails, true),
    });
  }

  /** End the open response as cancelled (client `response.cancel` or barge-in). */
  cancel(reason: 'client_cancelled' | 'turn_detected'): void {
    const response = this.active;
    if (!response) return;
    response.isCancelled = true;
    response.cancel();
    this.finish('cancelled', { type: 'cancelled', reason });
  }

  /** See FakeRealtimeSession.speak. */
  async speak(audio: Uint8Array, opts: SpeakOptions): Promise<SpeakResult> {
    const chunkBytes = opts.chunkBytes ?? 160;
    if (!(chunkBytes > 0)) throw new Error('speak: chunkBytes must be positive');
    const response = this.active ?? this.begin();
    if (!response.message) beginMessage(response, this.#emit, this.#conversation);
    const message = response.message!;
    if (opts.transcript !== undefined) {
      message.hasTranscript = true;
      message.transcript += opts.transcript;
      this.#emit('response.output_audio_transcript.delta', { ...contentIds(response, message), delta: opts.transcript });
    }
    const format = this.#session.session.audio?.output?.format;
    const paceMs = opts.pace === 'realtime' ? chunkBytes / bytesPerMs(format) : (opts.pace ?? 0);
    const started = performance.now();
    let index = 0;
    for (let offset = 0; offset < audio.byteLength; offset += chunkBytes) {
      if (response.isCancelled || !this.#session.isOpen) break;
      if (paceMs > 0 && index > 0) {
        const due = started + index * paceMs;
        const wait = due - performance.now();
        if (wait > 0) await Promise.race([Bun.sleep(wait), response.cancelled, this.#session.closed]);
        if (response.isCancelled || !this.#session.isOpen) break;
      }
      const chunk = audio.subarray(offset, Math.min(offset + chunkBytes, audio.byteLength));
      message.audioBytes += chunk.byteLength;
      const stored = this.#conversation.get(message.itemId);
      if (stored) stored.audioBytes = message.audioBytes;
      this.#emit('response.output_audio.delta', { ...contentIds(response, message), delta: toBase64(chunk) });
      index += 1;
    }
    const result = { responseId: response.record.id, itemId: message.itemId, cancelled: response.isCancelled };
    if ((opts.done ?? true) && !response.isCancelled && this.active === response) this.finish();
    return result;
  }

  /** See FakeRealtimeSession.callTool. */
  async callTool(name: string, args: object | string, opts: { done?: boolean }): Promise<CallToolResult> {
    const response = this.active ?? this.begin();
    if (response.message) finishMessage(response, 'completed', this.#emit, this.#conversation);
    const itemId = randomId('item_');
    const callId = randomId('call_');
    const argumentsJson = typeof args === 'string' ? args : JSON.stringify(args);
    const outputIndex = response.outputIndex++;
    const base = { id: itemId, object: 'realtime.item', type: 'function_call', name, call_id: callId };
    // `status: in_progress` here matters: the SDK runs the tool on any output_item event whose
    // function_call item is `completed`, so a completed item in `.added` would run it twice.
    const added = { ...base, status: 'in_progress', arguments: '' };
    this.#emit('response.output_item.added', { response_id: response.record.id, output_index: outputIndex, item: added });
    this.#conversation.add(structuredClone(added));
    const argumentIds = { response_id: response.record.id, item_id: itemId, output_index: outputIndex, call_id: callId };
    this.#emit('response.function_call_arguments.delta', { ...argumentIds, delta: argumentsJson });
    this.#emit('response.function_call_arguments.done', { ...argumentIds, arguments: argumentsJson });
    const done = { ...base, status: 'completed', arguments: argumentsJson };
    this.#emit('response.output_item.done', { response_id: response.record.id, output_index: outputIndex, item: done });
    this.#conversation.complete(structuredClone(done));
    response.record.output.push(done);
    if (opts.done ?? true) this.finish();
    return { callId, responseId: response.record.id, itemId };
  }

  /** See FakeRealtimeSession.callMcpTool. */
  callMcpTool(serverLabel: string, name: string, args: object | string, outcome: McpCallOutcome, opts: { done?: boolean }): CallToolResult {
    const response = this.active ?? this.begin();
    if (response.message) finishMessage(response, 'completed', this.#emit, this.#conversation);
    const itemId = randomId('mcp_');
    const argumentsJson = typeof args === 'string' ? args : JSON.stringify(args);
    const outputIndex = response.outputIndex++;
    // RealtimeMcpToolCall (openai/resources/realtime): no status field; output and error once done.
    const base = { id: itemId, type: 'mcp_call', server_label: serverLabel, name, approval_request_id: null };
    const added = { ...base, arguments: '', output: null, error: null };
    this.#emit('response.output_item.added', { response_id: response.record.id, output_index: outputIndex, item: added });
    this.#conversation.add(structuredClone(added));
    const ids = { response_id: response.record.id, item_id: itemId, output_index: outputIndex };
    this.#emit('response.mcp_call_arguments.delta', { ...ids, delta: argumentsJson, obfuscation: randomId('') });
    this.#emit('response.mcp_call_arguments.done', { ...ids, arguments: argumentsJson });
    this.#emit('response.mcp_call.in_progress', { item_id: itemId, output_index: outputIndex });
    const failed = 'error' in outcome;
    this.#emit(failed ? 'response.mcp_call.failed' : 'response.mcp_call.completed', { item_id: itemId, output_index: outputIndex });
    const done = {
      ...base,
      arguments: argumentsJson,
      output: failed ? null : outcome.output,
      error: failed ? { type: 'tool_execution_error', message: outcome.error } : null,
    };
    this.#emit('response.output_item.done', { response_id: response.record.id, output_index: outputIndex, item: done });
    this.#conversation.complete(structuredClone(done));
    response.record.output.push(done);
    if (opts.done ?? true) this.finish();
    return { callId: itemId, responseId: response.record.id, itemId };
  }

  #object(record: FakeResponseRecord, status: string, statusDetails: Record<string, any> | null, done: boolean): Record<string, any> {
    return responseObject(record, status, statusDetails, done, this.#session.session, this.#conversationId);
  }
}
