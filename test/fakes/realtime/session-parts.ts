// The session and the parts it delegates to, as the client-event handlers see them.
import type { Conversation } from './conversation.ts';
import type { InputAudio } from './input-audio.ts';
import type { Emit } from './protocol.ts';
import type { Responses } from './responses.ts';
import type { FakeRealtimeSession } from './session.ts';
import type { UserTurn } from './user-turn.ts';

export interface SessionParts {
  readonly session: FakeRealtimeSession;
  readonly emit: Emit;
  readonly input: InputAudio;
  readonly conversation: Conversation;
  readonly responses: Responses;
  readonly turn: UserTurn;
}

/** An `error` event answering the client event `event`, as the real API sends it. */
export function clientError(parts: SessionParts, event: any, code: string, message: string, param: string | null = null): void {
  parts.session.sendError(code, message, { param, event_id: typeof event?.event_id === 'string' ? event.event_id : null });
}
