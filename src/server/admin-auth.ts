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

/** Wraps an admin handler with the bearer-token check (before the body is read). */
export function admin<R extends Response | Promise<Response>>(ctx: ServerContext, handler: (request: Request) => R): (request: Request) => R | Response {
  return (request) => {
    if (authorized(request, ctx.settings.adminToken)) return handler(request);
    const why = ctx.settings.adminToken ? 'Unauthorized' : 'Unauthorized: admin endpoints are off; set ADMIN_TOKEN and send it as a Bearer token';
    return new Response(`${why}\n`, { status: 401, headers: { 'www-authenticate': 'Bearer' } });
  };
}
