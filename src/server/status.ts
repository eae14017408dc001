// What the server says of itself, without a token: GET / (name, version, agents, calls in
// progress, draining) and GET /readyz (whether a load balancer should send it calls, and if not,
// why). Both read the server's state; neither changes it.
import pkg from '../../package.json' with { type: 'json' };
import { callCounts } from './admin.ts';
import type { ServerContext } from './context.ts';

/** GET /. */
export function status(ctx: ServerContext): Response {
  const { greeting, connected } = callCounts(ctx);
  return Response.json({
    name: pkg.name,
    version: pkg.version,
    agents: [...ctx.agentSet.agents.keys()],
    entry: ctx.agentSet.entryId,
    activeCalls: greeting + connected,
    greeting,
    connected,
    draining: ctx.draining,
  });
}

/** GET /readyz: 503 while draining, while the preflight's failure stands, or while the store is down. */
export function ready(ctx: ServerContext): Response {
  const problem = ctx.draining
    ? 'draining: not taking new calls'
    : (ctx.readiness.problem ?? (ctx.store?.down ? 'the call store is unreachable (calls still work; records wait in memory)' : undefined));
  return problem === undefined ? new Response('ready\n') : new Response(`not ready: ${problem}\n`, { status: 503 });
}
