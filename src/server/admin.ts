// Endpoints for the operator, behind `Authorization: Bearer $ADMIN_TOKEN`. Without ADMIN_TOKEN
// they are off: nothing beyond the status page is open to strangers.
import { timingSafeEqual } from 'node:crypto';
import type { ServerContext } from './context.ts';

function authorized(request: Request, adminToken: string | undefined): boolean {
  const header = request.headers.get('authorization') ?? '';
  if (!adminToken || !header.startsWith('Bearer ')) return false;
  const given = Buffer.from(header.slice('Bearer '.length));
  const expected = Buffer.from(adminToken);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** Wraps an admin handler with the bearer-token check. */
export function admin(ctx: ServerContext, handler: () => Response): (request: Request) => Response {
  return (request) => {
    if (authorized(request, ctx.settings.adminToken)) return handler();
    return new Response('Unauthorized\n', { status: 401, headers: { 'www-authenticate': 'Bearer' } });
  };
}

/** GET /calls: the calls in progress. */
export function activeCalls(ctx: ServerContext): Response {
  const now = Date.now();
  return Response.json(
    [...ctx.calls].map((call) => ({
      callSid: call.callSid ?? null,
      agent: call.record.agent ?? null,
      seconds: Math.round((now - call.record.startedAt) / 1000),
      upstreamReady: call.upstream?.isReady ?? false,
    })),
  );
}
