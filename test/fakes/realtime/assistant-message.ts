// The assistant audio message of a response: its opening events, and its closing *.done events.
import type { Conversation } from './conversation.ts';
import { randomId, type Emit } from './protocol.ts';
import type { ActiveResponse, OpenMessage } from './responses.ts';

/** The ids every event about the message's audio content carries. */
export function contentIds(response: ActiveResponse, message: OpenMessage): Record<string, any> {
  return {
    response_id: response.record.id,
    item_id: message.itemId,
    output_index: message.outputIndex,
    content_index: message.contentIndex,
  };
}

/** Open an audio message as the response's next output item. */
export function beginMessage(response: ActiveResponse, emit: Emit, conversation: Conversation): void {
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
  emit('response.output_item.added', { response_id: response.record.id, output_index: message.outputIndex, item });
  conversation.add(structuredClone(item));
  emit('response.content_part.added', { ...contentIds(response, message), part: { type: 'audio', transcript: '' } });
}

/** Close the response's open message (if any) and record it as output. */
export function finishMessage(response: ActiveResponse, status: 'completed' | 'incomplete', emit: Emit, conversation: Conversation): void {
  const message = response.message;
  if (!message) return;
  response.message = null;
  const ids = contentIds(response, message);
  emit('response.output_audio.done', ids);
  if (message.hasTranscript) emit('response.output_audio_transcript.done', { ...ids, transcript: message.transcript });
  emit('response.content_part.done', { ...ids, part: { type: 'audio', transcript: message.transcript } });
  const item = {
    id: message.itemId,
    object: 'realtime.item',
    type: 'message',
    status,
    role: 'assistant',
    content: [{ type: 'output_audio', transcript: message.transcript }],
  };
  emit('response.output_item.done', { response_id: response.record.id, output_index: message.outputIndex, item });
  conversation.complete(structuredClone(item), message.audioBytes);
  response.record.output.push(item);
}
