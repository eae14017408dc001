// A page of the call history, as both its HTTP readers ask for it: GET /calls (the admin API, rows
// as stored) and GET /console/api/calls (the console, masked summaries). One parser of the query's
// parameters with one page-size rule, and one cursor to the next page: the last row's start time
// and CallSid, the two keys listCalls orders by, so calls that started in the same millisecond
// are neither skipped nor repeated. It lives beside the store because the cursor must follow the
// store's ORDER BY, and it reads nothing of the server's: each reader shapes the page its own way.
import type { CallRow } from './rows.ts';
import type { CallQuery, CallStore } from './store.ts';

/** Calls on a page unless `limit` says otherwise. */
export const PAGE_SIZE = 25;
export const MAX_PAGE_SIZE = 100;

/** Twilio's SIDs are two letters and 32 hex digits; anything of this shape is safe to look up. */
const CALL_SID = /^[A-Za-z0-9]{2,64}$/;
export const isCallSid = (text: string): boolean => CALL_SID.test(text);

/** Where the next page starts: the previous page's last call (the console's CallList.next has this shape). */
export interface HistoryCursor {
  before: number;
  beforeSid: string;
}

/** A checked query: always a page size, so a full page can be told from the last one. */
export type HistoryQuery = CallQuery & { limit: number };

export interface HistoryPage {
  /** Newest first. */
  rows: CallRow[];
  /** null: this is the last page. */
  next: HistoryCursor | null;
}

/** The search form's fields and the page's place, checked (an empty field means any); a string says what is wrong. */
export function historyQuery(params: URLSearchParams): HistoryQuery | string {
  const limit = Number(params.get('limit') ?? PAGE_SIZE);
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE_SIZE) return `limit must be a whole number from 1 to ${MAX_PAGE_SIZE}`;
  const query: HistoryQuery = { limit };
  const before = params.get('before');
  if (before !== null) {
    if (!/^\d{1,16}$/.test(before)) return 'before must be a start time in milliseconds (from the previous page)';
    // Without it, the page starts strictly before that millisecond (as GET /calls once paged).
    const beforeSid = params.get('beforeSid') ?? '';
    if (beforeSid !== '' && !isCallSid(beforeSid)) return 'beforeSid must be a CallSid (from the previous page)';
    Object.assign(query, { before: Number(before), beforeSid });
  }
  for (const [name, key, max] of [['number', 'number', 32], ['agent', 'agent', 64], ['reason', 'endReason', 32]] as const) {
    const value = params.get(name)?.trim() ?? '';
    if (value.length > max) return `${name} is longer than ${max} characters`;
    if (value !== '') query[key] = value;
  }
  return query;
}

/** One page of recorded calls; `next` is set when the page is full (there may be more). */
export async function historyPage(store: Pick<CallStore, 'listCalls'>, query: HistoryQuery): Promise<HistoryPage> {
  const rows = await store.listCalls(query);
  const last = rows.at(-1);
  return { rows, next: last !== undefined && rows.length === query.limit ? { before: last.startedAt, beforeSid: last.callSid } : null };
}
