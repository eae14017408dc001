// The client's `conversation.item.*` requests: create, retrieve, truncate, delete.
import { clientError, type SessionParts } from './session-parts.ts';
import { bytesPerMs, isPlainObject, randomId } from './protocol.ts';

function itemNotFound(parts: SessionParts, event: any): void {
  clientError(parts, event, 'item_not_found', `Item with item_id not found: ${event.item_id}`, 'item_id');
}

export function createItem(parts: SessionParts, event: any): void {
  if (!isPlainObject(event.item)) {
    clientError(parts, event, 'missing_required_parameter', "Missing required parameter: 'item'.", 'item');
    return;
  }
  let previous: string | null | undefined;
  if (typeof event.previous_item_id === 'string') {
    if (event.previous_item_id === 'root') previous = null;
    else if (parts.conversation.has(event.previous_item_id)) previous = event.previous_item_id;
    else {
      clientError(parts, event, 'item_not_found', `Previous item with id '${event.previous_item_id}' not found.`, 'previous_item_id');
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
  parts.conversation.add(item, previous);
  parts.conversation.complete(structuredClone(item));
}

export function retrieveItem(parts: SessionParts, event: any): void {
  const stored = parts.conversation.get(event.item_id);
  if (!stored) return itemNotFound(parts, event);
  parts.emit('conversation.item.retrieved', { item: structuredClone(stored.item) });
}

export function truncateItem(parts: SessionParts, event: any): void {
  const stored = parts.conversation.get(event.item_id);
  if (!stored) return itemNotFound(parts, event);
  if (stored.item.role !== 'assistant' || stored.item.type !== 'message') {
    clientError(parts, event, 'invalid_value', 'Only assistant messages with audio can be truncated.', 'item_id');
    return;
  }
  if (!Number.isInteger(event.audio_end_ms) || event.audio_end_ms < 0) {
    clientError(parts, event, 'invalid_value', "Invalid 'audio_end_ms': expected a non-negative integer.", 'audio_end_ms');
    return;
  }
  // The active message's bytes live on the open message until it completes.
  const open = parts.responses.active?.message;
  const audioBytes = open && open.itemId === event.item_id ? open.audioBytes : stored.audioBytes;
  const lengthMs = Math.floor(audioBytes / bytesPerMs(parts.session.session.audio?.output?.format));
  if (event.audio_end_ms > lengthMs) {
    clientError(parts, event, 'invalid_value', `Audio content of ${lengthMs}ms is already shorter than ${event.audio_end_ms}ms`, 'audio_end_ms');
    return;
  }
  // The API drops the unheard transcript with the audio.
  for (const part of stored.item.content ?? []) if (part.type === 'output_audio') part.transcript = '';
  parts.emit('conversation.item.truncated', {
    item_id: event.item_id,
    content_index: event.content_index ?? 0,
    audio_end_ms: event.audio_end_ms,
  });
}

export function deleteItem(parts: SessionParts, event: any): void {
  if (!parts.conversation.delete(event.item_id)) return itemNotFound(parts, event);
  parts.emit('conversation.item.deleted', { item_id: event.item_id });
}
