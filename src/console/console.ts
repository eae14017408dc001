// The operator's console: GET /console (a page embedded in the binary through Bun's HTML import)
// and its API under /console/api, behind a login with the admin token. Without ADMIN_TOKEN it is
// off. Everything it shows is read from what the server already keeps: the live calls and their
// records once a second (live-feed.ts), and the call store. Every response under /console carries
// the console's browser policy; login and logout are taken from the console's own page only.
import { END_REASONS } from '../call/end-reason.ts';
import { tooManyAttempts, tryAdminToken } from '../server/admin-auth.ts';
import type { PeerSource } from '../server/client-address.ts';
import type { ServerContext } from '../server/context.ts';
import { fromOwnOrigin, withConsoleHeaders } from './browser-policy.ts';
import { json, listCalls, showCall } from './history.ts';
import { LiveFeed } from './live-feed.ts';
import { ConsoleLogins, loginCookie, loginIdOf } from './logins.ts';
import { ASSETS_PATH, consoleAsset, consolePage } from './page-bundle.ts';
import type { SessionInfo } from './shared/types.ts';
import { stats } from './stats.ts';

export const CONSOLE_PATH = '/console';

const OFF_PAGE = `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>switchboard console: off</title></head><body><main><h1>The console is off</h1>
<p>Set <code>ADMIN_TOKEN</code> (e.g. <code>openssl rand -hex 32</code>) and restart switchboard to turn it on.</p></main></body></html>\n`;

type Handler = (request: Request, sessionId: string) => Response | Promise<Response>;
/**
 * What the routes need of the server: the client's address (login), and no idle timeout on the
 * live stream, which is meant to stay open.
 */
type Server = PeerSource & { timeout(request: Request, seconds: number): void };
type Route = (request: Request, server: Server) => Response | Promise<Response>;

/** The route with the console's headers on whatever it answers. */
function hardened(route: Route): Route {
  return (request, server) => {
    const response = route(request, server);
    return response instanceof Response ? withConsoleHeaders(response) : response.then(withConsoleHeaders);
  };
}

const foreignOrigin = () => json({ error: "refused: this request did not come from the console's own page (its Origin)" }, 403);

export class OperatorConsole {
  readonly logins = new ConsoleLogins();
  readonly feed: LiveFeed;

  constructor(private readonly ctx: ServerContext) {
    this.feed = new LiveFeed(ctx, (id) => this.logins.valid(id, ctx.settings.adminToken));
  }

  /** Routes for Bun.serve; the page is served only when ADMIN_TOKEN was set at start. */
  routes() {
    const on = this.ctx.settings.adminToken !== undefined;
    const off = () => new Response(OFF_PAGE, { status: 404, headers: { 'content-type': 'text/html; charset=utf-8' } });
    return {
      [CONSOLE_PATH]: hardened(on ? consolePage : off),
      [`${ASSETS_PATH}/:file`]: { GET: hardened(on ? consoleAsset : off) },
      [`${CONSOLE_PATH}/login`]: { POST: hardened((request, server) => this.#login(request, server)) },
      [`${CONSOLE_PATH}/logout`]: { POST: hardened((request) => this.#logout(request)) },
      [`${CONSOLE_PATH}/api/session`]: { GET: hardened(this.#guard(() => json(this.#info()))) },
      [`${CONSOLE_PATH}/api/live`]: {
        GET: hardened((request, server) =>
          this.#guard((req, id) => {
            server.timeout(req, 0);
            return this.feed.open(id);
          })(request),
        ),
      },
      [`${CONSOLE_PATH}/api/calls`]: { GET: hardened(this.#guard((request) => listCalls(this.ctx, request))) },
      [`${CONSOLE_PATH}/api/calls/:sid`]: {
        GET: hardened(this.#guard((request) => showCall(this.ctx, decodeURIComponent(new URL(request.url).pathname.split('/').at(-1) ?? '')))),
      },
      [`${CONSOLE_PATH}/api/stats`]: { GET: hardened(this.#guard(() => stats(this.ctx))) },
      // Anything else under /console (a GET of the login, say) is not found, with the same headers.
      [`${CONSOLE_PATH}/*`]: hardened(() => new Response('Not Found\n', { status: 404 })),
    };
  }

  #info(): SessionInfo {
    return { agents: [...this.ctx.agentSet.agents.keys()], endReasons: [...END_REASONS], history: this.ctx.store !== undefined };
  }

  /** A valid login (opened with the admin token in force now), or nothing at all. */
  #guard(handler: Handler): (request: Request) => Response | Promise<Response> {
    return (request) => {
      const token = this.ctx.settings.adminToken;
      if (token === undefined) return json({ error: 'the console is off: set ADMIN_TOKEN and restart' }, 404);
      const id = loginIdOf(request);
      if (id === undefined || !this.logins.valid(id, token)) return json({ error: 'log in first' }, 401);
      return handler(request, id);
    };
  }

  async #login(request: Request, server: PeerSource): Promise<Response> {
    if (this.ctx.settings.adminToken === undefined) return json({ error: 'the console is off: set ADMIN_TOKEN and restart' }, 404);
    if (!fromOwnOrigin(request, this.ctx.settings.publicUrl)) return foreignOrigin();
    const type = request.headers.get('content-type') ?? '';
    if (!type.startsWith('application/x-www-form-urlencoded')) return json({ error: 'send the login form (application/x-www-form-urlencoded)' }, 415);
    // The whole body first: the attempt is checked and counted in one step after it, so logins
    // whose bodies arrive late cannot all pass the check before any of them is counted.
    const given = new URLSearchParams(await request.text()).get('token') ?? '';
    const token = this.ctx.settings.adminToken;
    const verdict = tryAdminToken(this.ctx, request, server, 'console', given);
    if (verdict.outcome === 'limited') {
      const response = json({ error: tooManyAttempts(verdict.retryAfterS) }, 429);
      response.headers.set('retry-after', String(verdict.retryAfterS));
      return response;
    }
    // The token may have been turned off while the body was on its way.
    if (verdict.outcome === 'wrong' || token === undefined) return json({ error: 'wrong token' }, 401);
    this.ctx.log.info('console login');
    return new Response(null, { status: 204, headers: { 'set-cookie': loginCookie(this.logins.open(token)), 'cache-control': 'no-store' } });
  }

  #logout(request: Request): Response {
    if (!fromOwnOrigin(request, this.ctx.settings.publicUrl)) return foreignOrigin();
    this.logins.logout(loginIdOf(request));
    return new Response(null, { status: 204, headers: { 'set-cookie': loginCookie('', 0), 'cache-control': 'no-store' } });
  }
}
