// How a call ended: the one list, from the call that records it (call.ts) to the console that
// explains it (console/shared/words.ts), the metrics label (metrics/labels.ts) and the fallback
// TwiML (server/endings.ts). Each of those is keyed by EndReason, so a reason added here and not
// there fails to compile. Dependency-free: the console page (a browser bundle with its own
// tsconfig) type-checks against it. The order is the console's: endings as intended first.

export const END_REASONS = [
  'caller_hangup', // Twilio sent `stop`
  'agent_hangup', // the agent's hang_up tool, once its goodbye played
  'transferred', // the agent's transfer tool, once its announcement played
  'stream_closed', // the media stream socket closed without `stop`
  'upstream_failed', // the Realtime session could not be opened
  'upstream_timeout', // ... not within limits.connect_timeout_seconds
  'upstream_closed', // the Realtime session went away mid-call
  'max_duration', // limits.max_call_seconds
  'idle', // limits.idle_seconds without audio either way
  'shutdown', // the server is stopping
  'unknown_agent', // `start` named an agent this server does not have
  'bad_token', // `start` lacked a valid single-use stream token
  'no_start', // the socket sent no `start` within START_TIMEOUT_MS
  'frame_too_large', // a frame over MAX_FRAME_BYTES
] as const;

export type EndReason = (typeof END_REASONS)[number];

const KNOWN: ReadonlySet<string> = new Set(END_REASONS);

/** For what comes back as text (a database row, a label): whether it is one of END_REASONS. */
export function isEndReason(value: string): value is EndReason {
  return KNOWN.has(value);
}
