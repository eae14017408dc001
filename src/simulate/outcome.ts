// What a simulated call came to, and whether that is what the user expected (--expect). A call
// is judged once it is over, from what its result recorded: never per frame.
import type { CallResult } from './caller.ts';
import { unescapeXml } from '../twilio/twiml.ts';

/** What a user may expect of every call: `audio` (the default) is an agent that answers. */
export const EXPECTATIONS = ['audio', 'fallback', 'busy', 'refused'] as const;
export type Expectation = (typeof EXPECTATIONS)[number];
/** What happened: an expectation, no agent audio until the caller hung up, or no call at all. */
export type Outcome = Expectation | 'silence' | 'error';

/** What each expectation is, in words (the progress line, failure reasons). */
export const EXPECTED: Record<Expectation, string> = {
  audio: 'agent audio',
  fallback: 'the fallback',
  busy: 'the busy message',
  refused: 'a refusal',
};

/** A call the server turned away before any stream (busy TwiML, a 403, a refused upgrade). */
export class Refusal extends Error {
  constructor(
    readonly outcome: 'busy' | 'refused',
    message: string,
  ) {
    super(message);
  }
}

const HINT_SIGNED = "the server refused the signature: PUBLIC_URL and TWILIO_AUTH_TOKEN must be the server's";
const HINT_UNSIGNED =
  'the server wants a signature: TWILIO_AUTH_TOKEN (or --auth-token) is not set, so this call was unsigned; ' +
  "simulate signs like Twilio and needs PUBLIC_URL and TWILIO_AUTH_TOKEN to be the server's " +
  '(only a server started with --insecure takes unsigned calls)';

/** Why an HTTP answer (webhook or stream upgrade) is a refusal, with what to do about a 403. */
export function refusedBecause(what: string, status: number, statusText: string, signed: boolean): string {
  const answer = `${what} answered ${status}${statusText ? ` ${statusText}` : ''}`;
  if (status !== 403) return answer;
  return `${answer}; ${signed ? HINT_SIGNED : HINT_UNSIGNED}`;
}


/** TwiML after the stream (busy message, fallback) as a caller experiences it, e.g. `says "…" and hangs up`. */
export function describeTwiml(twiml: string): string {
  const said = [...twiml.matchAll(/<Say[^>]*>([^<]*)<\/Say>/g)].map((m) => unescapeXml(m[1]!).trim()).filter(Boolean);
  const dial = /<Dial[^>]*>\s*(?:<(?:Sip|Number)[^>]*>)?([^<]+)</.exec(twiml)?.[1];
  const says = said.length > 0 ? `says "${said.join(' ')}" and ` : 'says nothing and ';
  if (dial) return `${says}transfers the caller to ${unescapeXml(dial.trim())}`;
  if (/<Hangup\s*\/>/.test(twiml) || !/<(Play|Gather|Redirect|Connect|Pause)\b/.test(twiml)) return `${says}hangs up`;
  return `${says}runs ${twiml.replace(/^<\?xml[^>]*>/, '').replace(/\s+/g, ' ').slice(0, 200)}`;
}

const seconds = (s: number) => `${Number(s.toFixed(1))} s`;

/** What happened on a call whose stream opened, in one line (caller.ts sets `after`, `end`). */
function streamOutcome(r: CallResult, actionError?: string): { outcome: Outcome; detail: string } {
  const audio = r.framesReceived === 0 ? undefined : `${seconds(r.framesReceived * 0.02)} of agent audio`;
  if (r.end?.by !== 'server') {
    if (audio) return { outcome: 'audio', detail: `the agent answered: first audio after ${Math.round(r.firstAudioMs!)} ms, ${audio}` };
    return { outcome: 'silence', detail: `no agent audio in the ${seconds(r.framesSent * 0.02)} the call lasted` };
  }
  const { code, reason } = r.end;
  // 1008 is what the server closes a stream it will not take with (bad stream token, no `start`).
  const refused = code === 1008;
  let detail = `${audio ? '' : 'no agent audio; '}the server ${refused ? 'refused' : 'ended'} the stream (${reason || `code ${code}`})`;
  if (audio) detail += ` after ${audio}`;
  if (actionError) return { outcome: 'error', detail: `${detail}, then ${actionError}` };
  detail += r.after === undefined ? ' and names no <Connect action>, so the call ends' : ` and its fallback ${describeTwiml(r.after)}`;
  return { outcome: refused ? 'refused' : 'fallback', detail };
}

/**
 * Sets the call's outcome and detail, and its error (why it failed) unless the outcome is the
 * expected one. `error` is what ended the call early, if anything did.
 */
export function judge(r: CallResult, expect: Expectation, error?: unknown): void {
  const message = error instanceof Error ? error.message : error === undefined ? undefined : String(error);
  const { outcome, detail } =
    error instanceof Refusal
      ? { outcome: error.outcome, detail: error.message }
      : message !== undefined && r.end?.by !== 'server'
        ? { outcome: 'error' as const, detail: message }
        : streamOutcome(r, message);
  r.outcome = outcome;
  r.detail = detail;
  if (outcome === expect) delete r.error;
  else r.error = expect === 'audio' ? detail : `expected ${EXPECTED[expect]}, but ${detail}`;
}

export function parseExpectation(value: string | undefined): Expectation {
  if (value === undefined) return 'audio';
  if ((EXPECTATIONS as readonly string[]).includes(value)) return value as Expectation;
  throw new Error(`--expect must be one of ${EXPECTATIONS.join(', ')} (got "${value}")`);
}
