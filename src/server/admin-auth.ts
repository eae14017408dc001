// Endpoints for the operator, behind `Authorization: Bearer $ADMIN_TOKEN`. Without ADMIN_TOKEN
// they are off: nothing beyond the status page is open to strangers. Every token tried, here or at
// the console's login, is compared in constant time and counted against its client
// (auth-attempts.ts): too many wrong ones from one address and that address waits.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { AuthEndpoint } from './auth-attempts.ts';
import { clientOf, type PeerSource } from './client-address.ts';
import type { ServerContext } from './context.ts';

const digest = (text: string) => createHash('sha256').update(text).digest();

/** Constant time whatever the lengths: the digests are compared, never the strings. */
export function sameToken(given: string, expected: string): boolean {
  return timingSafeEqual(digest(given), digest(expected));
}

/**
 * `given` tried against the admin token in force, by the request's client: the comparison always
 * runs, then the attempt is counted (a client at its limit is refused even the right token).
 */
export function tryAdminToken(ctx: ServerContext, request: Request, server: PeerSource, endpoint: AuthEndpoint, given: string) {
  const expected = ctx.settings.adminToken ?? '';
  const correct = sameToken(given, expected) && given !== '' && expected !== '';
  return ctx.authAttempts.attempt(clientOf(request, server, ctx.settings.trustProxy), endpoint, correct);
}

/** What a client at its limit is told, with the seconds to wait (also in Retry-After). */
export const tooManyAttempts = (retryAfterS: number) => `too many wrong admin tokens from your address; try again in ${retryAfterS} s`;

/** Wraps an admin handler with the bearer-token check (the headers are all it needs; before the body is read). */
export function admin<R extends Response | Promise<Response>>(ctx: ServerContext, handler: (request: Request) => R): (request: Request, server: PeerSource) => R | Response {
  return (request, server) => {
    if (!ctx.settings.adminToken) {
      return new Response('Unauthorized: admin endpoints are off; set ADMIN_TOKEN and send it as a Bearer token\n', { status: 401, headers: { 'www-authenticate': 'Bearer' } });
    }
    const header = request.headers.get('authorization') ?? '';
    const given = header.startsWith('Bearer ') ? header.slice('Bearer '.length) : '';
    const verdict = tryAdminToken(ctx, request, server, 'admin', given);
    if (verdict.outcome === 'ok') return handler(request);
    if (verdict.outcome === 'limited') {
      return new Response(`${tooManyAttempts(verdict.retryAfterS)}\n`, { status: 429, headers: { 'retry-after': String(verdict.retryAfterS) } });
    }
    return new Response('Unauthorized\n', { status: 401, headers: { 'www-authenticate': 'Bearer' } });
  };
}
