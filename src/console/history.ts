// GET /console/api/calls (a searchable page of recorded calls) and /console/api/calls/:sid (one
// call: conversation, tools, handoffs, timings). Recorded calls come from the store, paged and
// searched as GET /calls pages them (store/history.ts); a call still in progress is marked live,
// and its timings so far come from the call (call/timings.ts).
import type { Call } from '../call/call.ts';
import type { ServerContext } from '../server/context.ts';
import { callsInProgress } from '../server/live-calls.ts';
import { historyPage, historyQuery, isCallSid } from '../store/history.ts';
import type { CallDetail, CallList } from './shared/types.ts';
import { eventView, summary } from './views.ts';

const bad = (error: string) => Response.json({ error }, { status: 400, headers: { 'cache-control': 'no-store' } });
export const json = (body: unknown, status = 200) => Response.json(body, { status, headers: { 'cache-control': 'no-store' } });
const noStore = () => json({ error: 'no call history: storage.url is off, so calls are not recorded' }, 404);

/** The calls whose stream is up, by CallSid: their recorded rows are marked live. */
function connected(ctx: ServerContext) {
  const calls = new Map<string, Call>();
  for (const c of callsInProgress(ctx)) if (c.state === 'connected') calls.set(c.callSid, c.call);
  return calls;
}

export async function listCalls(ctx: ServerContext, request: Request): Promise<Response> {
  if (!ctx.store) return noStore();
  const query = historyQuery(new URL(request.url).searchParams);
  if (typeof query === 'string') return bad(query);
  const { rows, next } = await historyPage(ctx.store, query);
  const tools = await ctx.store.toolsUsed(rows.map((r) => r.callSid));
  const live = connected(ctx);
  const page: CallList = { calls: rows.map((row) => summary(row, tools.get(row.callSid) ?? [], live.has(row.callSid))), next };
  return json(page);
}

export async function showCall(ctx: ServerContext, callSid: string): Promise<Response> {
  if (!ctx.store) return noStore();
  if (!isCallSid(callSid)) return bad('not a CallSid');
  const found = await ctx.store.getCall(callSid);
  // Recorded within a second of its stream starting: until then the call is only in the live view.
  if (!found) return json({ error: `no call ${callSid} recorded` }, 404);
  const call = connected(ctx).get(callSid);
  const events = found.events.map(eventView);
  const detail: CallDetail = {
    call: summary(found.call, events.flatMap((e) => (e.kind === 'tool' ? [e.name] : [])), call !== undefined),
    events,
    timings: found.call.timings ?? call?.timings ?? null,
  };
  return json(detail);
}
