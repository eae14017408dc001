// GET /calls and GET /calls/:sid (admin): the calls in progress (marked live) and, with a store,
// the recorded ones, newest first. The query, its page size and its paging are the console's too
// (store/history.ts); the body stays the array scripts read, and the next page's address is in a
// `Link: <…>; rel="next"` header. Whoever holds the admin token sees numbers as stored, whole:
// the console, which a browser shows, masks them (console/views.ts).
import { historyPage, historyQuery } from '../store/history.ts';
import type { ServerContext } from './context.ts';
import { callsInProgress, type CallInProgress } from './live-calls.ts';

const liveRow = ({ callSid, state, agent, since, upstreamReady }: CallInProgress, now: number) => ({
  callSid,
  state,
  agent,
  seconds: Math.round((now - since) / 1000),
  upstreamReady,
});

/** The calls in progress head the first page, on top of its `limit` recorded calls (which they do not displace). */
export async function listCalls(ctx: ServerContext, request: Request): Promise<Response> {
  const url = new URL(request.url);
  const query = historyQuery(url.searchParams);
  if (typeof query === 'string') return bad(query);
  const now = Date.now();
  const inProgress = [...callsInProgress(ctx)];
  const liveSids = new Set(inProgress.map((c) => c.callSid));
  const first = query.before === undefined;
  const live = first ? inProgress.map((c) => ({ ...liveRow(c, now), live: true })) : [];
  const page = ctx.store ? await historyPage(ctx.store, query) : { rows: [], next: null };
  // On the first page a call in progress is its live row; on later ones its stored row says live.
  const stored = page.rows.filter((c) => !(first && liveSids.has(c.callSid))).map((c) => ({ ...c, live: liveSids.has(c.callSid) }));
  const headers = new Headers();
  if (page.next) {
    const next = new URLSearchParams(url.searchParams);
    next.set('before', String(page.next.before));
    next.set('beforeSid', page.next.beforeSid);
    headers.set('link', `<${url.pathname}?${next}>; rel="next"`);
  }
  return Response.json([...live, ...stored], { headers });
}

export async function showCall(ctx: ServerContext, callSid: string): Promise<Response> {
  const found = [...callsInProgress(ctx)].find((c) => c.callSid === callSid);
  const live = found && liveRow(found, Date.now());
  const stored = ctx.store ? await ctx.store.getCall(callSid) : undefined;
  if (!live && !stored) return Response.json({ error: `no call ${callSid}` }, { status: 404 });
  return Response.json({ live: live !== undefined, ...live, ...stored });
}

const bad = (message: string) => Response.json({ error: message }, { status: 400 });
