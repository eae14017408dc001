// GET /console/api/calls (a searchable page of recorded calls) and /console/api/calls/:sid (one
// call: conversation, tools, handoffs, timings). Recorded calls come from the store; a call still
// in progress is marked live, and its timings so far come from the watch.
import type { ServerContext } from '../server/context.ts';
import type { CallQuery } from '../store/store.ts';
import type { CallDetail, CallList } from './shared/types.ts';
import type { CallTimingsWatch } from './timings.ts';
import { eventView, summary } from './views.ts';

export const PAGE_SIZE = 25;
const MAX_PAGE_SIZE = 100;
/** Twilio's SIDs are two letters and 32 hex digits; anything of this shape is safe to look up. */
const SID = /^[A-Za-z0-9]{2,64}$/;

const bad = (error: string) => Response.json({ error }, { status: 400, headers: { 'cache-control': 'no-store' } });
export const json = (body: unknown, status = 200) => Response.json(body, { status, headers: { 'cache-control': 'no-store' } });
const noStore = () => json({ error: 'no call history: storage.url is off, so calls are not recorded' }, 404);

/** The search form's fields, checked (an empty one means any); a string says what is wrong. */
export function callQuery(params: URLSearchParams): CallQuery | string {
  const limit = Number(params.get('limit') ?? PAGE_SIZE);
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE_SIZE) return `limit must be a whole number from 1 to ${MAX_PAGE_SIZE}`;
  const query: CallQuery = { limit };
  const before = params.get('before');
  if (before !== null) {
    if (!/^\d{1,16}$/.test(before)) return 'before must be a start time in milliseconds (from the previous page)';
    const beforeSid = params.get('beforeSid') ?? '';
    if (beforeSid !== '' && !SID.test(beforeSid)) return 'beforeSid must be a CallSid (from the previous page)';
    Object.assign(query, { before: Number(before), beforeSid });
  }
  for (const [name, key, max] of [['number', 'number', 32], ['agent', 'agent', 64], ['reason', 'endReason', 32]] as const) {
    const value = params.get(name)?.trim() ?? '';
    if (value.length > max) return `${name} is longer than ${max} characters`;
    if (value !== '') query[key] = value;
  }
  return query;
}

const liveSids = (ctx: ServerContext) => new Set([...ctx.calls].filter((c) => !c.ended && c.callSid !== undefined).map((c) => c.callSid!));

export async function listCalls(ctx: ServerContext, request: Request): Promise<Response> {
  if (!ctx.store) return noStore();
  const query = callQuery(new URL(request.url).searchParams);
  if (typeof query === 'string') return bad(query);
  const rows = await ctx.store.listCalls(query);
  const tools = await ctx.store.toolsUsed(rows.map((r) => r.callSid));
  const live = liveSids(ctx);
  const last = rows.at(-1);
  const page: CallList = {
    calls: rows.map((row) => summary(row, tools.get(row.callSid) ?? [], live.has(row.callSid))),
    next: last && rows.length === query.limit ? { before: last.startedAt, beforeSid: last.callSid } : null,
  };
  return json(page);
}

export async function showCall(ctx: ServerContext, callSid: string, watch: CallTimingsWatch): Promise<Response> {
  if (!ctx.store) return noStore();
  if (!SID.test(callSid)) return bad('not a CallSid');
  const found = await ctx.store.getCall(callSid);
  // Recorded within a second of its stream starting: until then the call is only in the live view.
  if (!found) return json({ error: `no call ${callSid} recorded` }, 404);
  const call = [...ctx.calls].find((c) => c.callSid === callSid && !c.ended);
  const events = found.events.map(eventView);
  const detail: CallDetail = {
    call: summary(found.call, events.flatMap((e) => (e.kind === 'tool' ? [e.name] : [])), call !== undefined),
    events,
    timings: found.call.timings ?? (call ? watch.of(call) : undefined) ?? null,
  };
  return json(detail);
}
