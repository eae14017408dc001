// Small pieces of the Realtime protocol the fake's parts share: ids, event types, audio rates.

/** Sends one server event of `type` with a fresh `event_id`. */
export type Emit = (type: string, fields?: Record<string, any>) => void;

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
export function randomId(prefix: string, length = 20): string {
  const bytes = crypto.getRandomValues(new Uint8Array(length));
  let out = prefix;
  for (const b of bytes) out += ALNUM[b % ALNUM.length];
  return out;
}

export function isPlainObject(value: unknown): value is Record<string, any> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
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

export const KNOWN_CLIENT_EVENTS = new Set([
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

/** Event types in order, runs folded: `session.update x2, response.create`. */
export function describeTypes(events: readonly any[]): string {
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
