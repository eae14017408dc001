// The `response` object of `response.created` / `response.done`, in the shape the SDK's schema accepts.
import { isPlainObject } from './protocol.ts';
import type { FakeResponseRecord } from './types.ts';

function zeroUsage(): Record<string, any> {
  return {
    total_tokens: 0,
    input_tokens: 0,
    output_tokens: 0,
    input_token_details: { text_tokens: 0, audio_tokens: 0, image_tokens: 0, cached_tokens: 0 },
    output_token_details: { text_tokens: 0, audio_tokens: 0 },
  };
}

export function responseObject(
  record: FakeResponseRecord,
  status: string,
  statusDetails: Record<string, any> | null,
  done: boolean,
  session: Record<string, any>,
  conversationId: string,
): Record<string, any> {
  const output = session.audio?.output ?? {};
  const requested = isPlainObject(record.request?.response) ? record.request.response : {};
  return {
    object: 'realtime.response',
    id: record.id,
    status,
    status_details: statusDetails,
    output: done ? structuredClone(record.output) : [],
    conversation_id: requested.conversation === 'none' ? null : conversationId,
    output_modalities: requested.output_modalities ?? session.output_modalities ?? ['audio'],
    max_output_tokens: session.max_output_tokens ?? 'inf',
    audio: { output: { format: structuredClone(output.format ?? null), voice: output.voice ?? 'marin' } },
    usage: done ? zeroUsage() : null,
    metadata: requested.metadata ?? null,
  };
}
