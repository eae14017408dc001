// GET /calls and GET /calls/:sid (admin): the calls in progress (marked live) and, with a store,
// the recorded ones, newest first, paged by `before` (a start time in ms).
import { liveCalls } from './admin.ts';
import type { ServerContext } from './context.ts';

const MAX_LIMIT = 500;

export async function listCalls(ctx: ServerContext, request: Request): Promise<Response> {
  const url = new URL(request.url);
  const limit = Number(url.searchParams.get('limit') ?? 50);
  const before = url.searchParams.get('before');
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) return bad(`limit must be a whole number from 1 to ${MAX_LIMIT}`);
  if (before !== null && !/^\d+$/.test(before)) return bad('before must be a start time in milliseconds since the epoch (from a previous page)');
  const live = before === null ? liveCalls(ctx).map((call) => ({ ...call, live: true })) : [];
  const liveSids = new Set(live.map((c) => c.callSid));
  const stored = ctx.store ? await ctx.store.listCalls({ limit, before: before === null ? undefined : Number(before) }) : [];
  return Response.json([...live, ...stored.filter((c) => !liveSids.has(c.callSid)).map((c) => ({ ...c, live: false }))].slice(0, limit));
}

export async function showCall(ctx: ServerContext, callSid: string): Promise<Response> {
  const live = liveCalls(ctx).find((c) => c.callSid === callSid);
  const stored = ctx.store ? await ctx.store.getCall(callSid) : undefined;
  if (!live && !stored) return Response.json({ error: `no call ${callSid}` }, { status: 404 });
  return Response.json({ live: live !== undefined, ...live, ...stored });
}

const bad = (message: string) => Response.json({ error: message }, { status: 400 });

