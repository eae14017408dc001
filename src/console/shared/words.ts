// The end reasons (call/end-reason.ts, docs/operations.md "Failure behaviour") in words an operator
// can act on, and how the console groups them: a call that ended as intended, or one that went
// wrong. Keyed by EndReason: a new reason without words here fails to compile. The store gives
// reasons back as text, so the lookups take any string and say so when one is unknown.
import { isEndReason, type EndReason } from '../../call/end-reason.ts';

export type EndCategory = 'completed' | 'failed' | 'live';

const REASONS: Record<EndReason, { ok: boolean; words: string }> = {
  caller_hangup: { ok: true, words: 'The caller hung up.' },
  agent_hangup: { ok: true, words: 'The agent said goodbye and hung up (its hang_up tool) once the goodbye had played.' },
  transferred: { ok: true, words: 'The agent transferred the caller (its transfer tool); Twilio dialled the target once the announcement had played.' },
  stream_closed: { ok: false, words: "Twilio's media stream closed without saying the caller hung up: a network drop, or Twilio ended the stream." },
  upstream_failed: { ok: false, words: 'The OpenAI Realtime API refused the session or could not be reached (key, model, network); the caller heard the fallback.' },
  upstream_timeout: { ok: false, words: 'The OpenAI Realtime API did not answer within limits.connect_timeout_seconds; the caller heard the fallback.' },
  upstream_closed: { ok: false, words: 'The Realtime session went away mid-call (a network drop, or its 60-minute limit); the caller heard the fallback.' },
  max_duration: { ok: false, words: 'The call reached limits.max_call_seconds and was ended; the caller heard the fallback.' },
  idle: { ok: false, words: 'No audio either way for limits.idle_seconds; the call was ended and the caller heard the fallback.' },
  shutdown: { ok: false, words: 'The server was shutting down; the caller heard the fallback.' },
  unknown_agent: { ok: false, words: 'The stream named an agent this server does not have (the config changed between the webhook and the stream); the caller heard the fallback.' },
  bad_token: { ok: false, words: 'The stream did not present a valid single-use stream token, so it was refused before any OpenAI work (a replayed or forged stream).' },
  no_start: { ok: false, words: 'The stream socket sent no start message within 10 seconds (not Twilio), so it was closed.' },
  frame_too_large: { ok: false, words: 'A stream frame was over 16 KiB (not Twilio), so the stream was closed.' },
};

const wordsOf = (reason: string) => (isEndReason(reason) ? REASONS[reason] : undefined);

export function explainEndReason(reason: string | null | undefined): string {
  if (reason === null || reason === undefined) return 'The call is still in progress, or the server stopped before recording its end.';
  return wordsOf(reason)?.words ?? `Ended with "${reason}", a reason this console does not know.`;
}

export function endCategory(reason: string | null | undefined): EndCategory {
  if (reason === null || reason === undefined) return 'live';
  return wordsOf(reason)?.ok ? 'completed' : 'failed';
}
