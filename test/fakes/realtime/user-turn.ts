// The caller's turn as server VAD reports it: speech started / stopped, the committed audio item
// and its transcript.
import type { Conversation } from './conversation.ts';
import type { InputAudio } from './input-audio.ts';
import { isPlainObject, randomId, type Emit } from './protocol.ts';
import type { Responses } from './responses.ts';
import type { FakeRealtimeSession } from './session.ts';

export class UserTurn {
  readonly #session: Pick<FakeRealtimeSession, 'session'>;
  readonly #emit: Emit;
  readonly #conversation: Conversation;
  readonly #input: InputAudio;
  readonly #responses: Responses;
  #speechItemId: string | null = null;
  #speechStartMs = 0;

  constructor(
    session: Pick<FakeRealtimeSession, 'session'>,
    emit: Emit,
    conversation: Conversation,
    input: InputAudio,
    responses: Responses,
  ) {
    this.#session = session;
    this.#emit = emit;
    this.#conversation = conversation;
    this.#input = input;
    this.#responses = responses;
  }

  /** See FakeRealtimeSession.speechStarted. */
  speechStarted(opts: { audioStartMs?: number; cancelResponse?: boolean }): string {
    this.#speechItemId = randomId('item_');
    this.#speechStartMs = opts.audioStartMs ?? this.#inputAudioMs();
    this.#emit('input_audio_buffer.speech_started', {
      audio_start_ms: this.#speechStartMs,
      item_id: this.#speechItemId,
    });
    const td = this.#session.session.audio?.input?.turn_detection;
    const interrupt = opts.cancelResponse ?? (isPlainObject(td) && td.interrupt_response !== false);
    if (interrupt && this.#responses.active) this.#responses.cancel('turn_detected');
    return this.#speechItemId;
  }

  /** See FakeRealtimeSession.speechStopped. */
  speechStopped(opts: { audioEndMs?: number; commit?: boolean }): string {
    const itemId = this.#speechItemId ?? randomId('item_');
    this.#speechItemId = null;
    this.#emit('input_audio_buffer.speech_stopped', {
      audio_end_ms: opts.audioEndMs ?? Math.max(this.#speechStartMs, this.#inputAudioMs()),
      item_id: itemId,
    });
    if (opts.commit ?? true) this.commit(itemId);
    return itemId;
  }

  /** `input_audio_buffer.committed` and the user's audio item (`conversation.item.added` / `.done`). */
  commit(itemId: string): void {
    this.#input.resetUncommitted();
    this.#emit('input_audio_buffer.committed', { previous_item_id: this.#conversation.lastId, item_id: itemId });
    const item = {
      id: itemId,
      object: 'realtime.item',
      type: 'message',
      status: 'completed',
      role: 'user',
      content: [{ type: 'input_audio', transcript: null }],
    };
    this.#conversation.add(item);
    this.#conversation.complete(structuredClone(item));
  }

  /** See FakeRealtimeSession.userTranscript. */
  transcript(itemId: string, transcript: string): void {
    const stored = this.#conversation.get(itemId);
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

  #inputAudioMs(): number {
    return this.#input.ms(this.#session.session.audio?.input?.format);
  }
}
