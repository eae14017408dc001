// What the server does with each client event: state changes, replies, and the real API's errors.
import { fromBase64, isStrictBase64 } from '../bytes.ts';
import { createItem, deleteItem, retrieveItem, truncateItem } from './item-requests.ts';
import { bytesPerMs, isPlainObject, KNOWN_CLIENT_EVENTS, randomId } from './protocol.ts';
import { mergeSession } from './session-config.ts';
import { clientError, type SessionParts } from './session-parts.ts';

export function handleClientEvent(parts: SessionParts, event: any): void {
  if (!KNOWN_CLIENT_EVENTS.has(event.type)) {
    clientError(parts, event, 'invalid_value', `Invalid value: '${event.type}'. Unknown client event type.`, 'type');
    return;
  }
  switch (event.type) {
    case 'session.update':
      return updateSession(parts, event);
    case 'input_audio_buffer.append': {
      if (!isStrictBase64(event.audio)) {
        clientError(parts, event, 'invalid_value', "Invalid 'audio'. Expected base64-encoded audio bytes.", 'audio');
        return;
      }
      parts.input.append(fromBase64(event.audio));
      return;
    }
    case 'input_audio_buffer.commit': {
      const format = parts.session.session.audio?.input?.format;
      const minBytes = 100 * bytesPerMs(format);
      if (parts.input.uncommittedBytes < minBytes) {
        const ms = Math.floor(parts.input.uncommittedBytes / bytesPerMs(format));
        clientError(
          parts,
          event,
          'input_audio_buffer_commit_empty',
          `Error committing input audio buffer: buffer too small. Expected at least 100ms of audio, but buffer only has ${ms}ms of audio.`,
        );
        return;
      }
      parts.turn.commit(randomId('item_'));
      return;
    }
    case 'input_audio_buffer.clear': {
      parts.input.resetUncommitted();
      parts.emit('input_audio_buffer.cleared');
      return;
    }
    case 'conversation.item.create':
      return createItem(parts, event);
    case 'conversation.item.retrieve':
      return retrieveItem(parts, event);
    case 'conversation.item.truncate':
      return truncateItem(parts, event);
    case 'conversation.item.delete':
      return deleteItem(parts, event);
    case 'response.create':
      return createResponse(parts, event);
    case 'response.cancel': {
      const active = parts.responses.active;
      if (!active || (typeof event.response_id === 'string' && event.response_id !== active.record.id)) {
        clientError(parts, event, 'response_cancel_not_active', 'Cancellation failed: no active response found.');
        return;
      }
      parts.responses.cancel('client_cancelled');
      return;
    }
    default:
      return; // output_audio_buffer.clear: WebRTC/SIP only; nothing to do over WebSocket.
  }
}

function updateSession(parts: SessionParts, event: any): void {
  const session = event.session;
  if (!isPlainObject(session)) {
    clientError(parts, event, 'missing_required_parameter', "Missing required parameter: 'session'.", 'session');
    return;
  }
  if (session.type !== 'realtime') {
    if (session.type === undefined) {
      clientError(parts, event, 'missing_required_parameter', "Missing required parameter: 'session.type'.", 'session.type');
    } else {
      clientError(parts, event, 'invalid_value', `Invalid value: '${session.type}'. Supported values are: 'realtime'.`, 'session.type');
    }
    return;
  }
  const { type: _type, ...patch } = session;
  parts.session.session = mergeSession(parts.session.session, patch);
  parts.emit('session.updated', { session: structuredClone(parts.session.session) });
}

function createResponse(parts: SessionParts, event: any): void {
  const { session, responses } = parts;
  const handler = session.onResponseCreate;
  if (handler || !session.autoRespond) responses.pending.push(event);
  if (handler) {
    Promise.resolve()
      .then(() => handler(event, session))
      .catch((error) => console.error('FakeRealtime onResponseCreate handler failed:', error));
    return;
  }
  if (!session.autoRespond) return;
  if (responses.active) {
    clientError(
      parts,
      event,
      'conversation_already_has_active_response',
      `Conversation already has an active response in progress: ${responses.active.record.id}. Wait until the response is finished before creating a new one.`,
    );
    return;
  }
  responses.begin(event);
  responses.finish();
}
