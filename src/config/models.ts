// What switchboard knows about model names: the current defaults, announced shutdowns, which
// models reason, and which belong to another API. Pure functions of names and dates.
import { DEFAULT_OPENAI_REALTIME_MODEL } from '@openai/agents/realtime';
import { RETIREMENTS, type Retirement } from './retired-models.ts';

/** The SDK's current default Realtime model, so that an SDK upgrade carries a newer one. */
export const DEFAULT_REALTIME_MODEL: string = DEFAULT_OPENAI_REALTIME_MODEL;

/**
 * Input transcription is on by default (the call record's caller lines come from it). Named here
 * because the SDK's own default, gpt-4o-mini-transcribe, is on the retirement list.
 */
export const DEFAULT_TRANSCRIPTION_MODEL = 'gpt-transcribe';

export const REASONING_EFFORTS = ['minimal', 'low', 'medium', 'high', 'xhigh'] as const;
export type ReasoningEffort = (typeof REASONING_EFFORTS)[number];
/** What the API uses when a reasoning model is given no effort. */
export const API_DEFAULT_REASONING_EFFORT: ReasoningEffort = 'low';

/** gpt-realtime-2, gpt-realtime-2.1, gpt-realtime-2.1-mini and their snapshots (not gpt-realtime-2025-08-28). */
export const isReasoningModel = (model: string): boolean => /^gpt-realtime-2(?:\.\d+)?(?:-|$)/.test(model);

/** GPT-Live models are served by another API; their model pages say "Realtime endpoint: Not supported". */
export const isLiveModel = (model: string): boolean => /^gpt-live(?:-|$)/.test(model);

export function retirementOf(model: string): Retirement | undefined {
  return RETIREMENTS.find((r) => r.model === model);
}

/** Today's date in UTC, YYYY-MM-DD: the form shutdown dates are announced in. */
export function todayUtc(now = new Date()): string {
  return now.toISOString().slice(0, 10);
}

const DAY_MS = 86_400_000;

/** Whole days from `today` to `date` (both YYYY-MM-DD); 0 on the day, negative after. */
export function daysUntil(date: string, today: string): number {
  return Math.round((Date.parse(`${date}T00:00:00Z`) - Date.parse(`${today}T00:00:00Z`)) / DAY_MS);
}

/** A YYYY-MM-DD that is a real calendar day. */
export function isIsoDate(text: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return false;
  const time = Date.parse(`${text}T00:00:00Z`);
  return Number.isFinite(time) && new Date(time).toISOString().startsWith(text);
}

/**
 * "shuts down on 2027-01-20 (in 50 days)", or "shut down on 2027-01-20" from that day on, when
 * the model no longer answers.
 */
export function shutdownText(date: string, today: string): { text: string; passed: boolean } {
  const days = daysUntil(date, today);
  if (days <= 0) return { text: `shut down on ${date}`, passed: true };
  return { text: `shuts down on ${date} (in ${days} day${days === 1 ? '' : 's'})`, passed: false };
}
