// The operator's console: GET /console (a page embedded in the binary through Bun's HTML import)
// and its API under /console/api, behind a login with the admin token. Without ADMIN_TOKEN it is
// off. Everything it shows is read from what the server already keeps: the live calls and their
// records once a second (live-feed.ts), and the call store.
import type { Call } from '../call/call.ts';
import type { Upstream } from '../call/upstream.ts';
import type { ServerContext } from '../server/context.ts';
import { json, listCalls, showCall } from './history.ts';
import { LiveFeed } from './live-feed.ts';
import page from './page/index.html';
import { ConsoleSessions, sessionCookie, sessionIdOf } from './sessions.ts';
import { END_REASONS } from './shared/words.ts';
import type { SessionInfo } from './shared/types.ts';
import { stats } from './stats.ts';
import { CallTimingsWatch } from './timings.ts';

export const CONSOLE_PATH = '/console';

const OFF_PAGE = `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>switchboard console: off</title></head><body><main><h1>The console is off</h1>
<p>Set <code>ADMIN_TOKEN</code> (e.g. <code>openssl rand -hex 32</code>) and restart switchboard to turn it on.</p></main></body></html>\n`;

type Handler = (request: Request, sessionId: string) => Response | Promise<Response>;
/** What the SSE route needs of the server: no idle timeout on a stream that is meant to stay open. */
type Timeouts = { timeout(request: Request, seconds: number): void };

export class OperatorConsole {
  readonly sessions = new ConsoleSessions();
  readonly timings = new CallTimingsWatch();
  readonly feed: LiveFeed;

  constructor(private readonly ctx: ServerContext) {
    this.feed = new LiveFeed(ctx, (id) => this.sessions.valid(id, ctx.settings.adminToken));
  }

  /** Called for every Realtime session the server opens (see timings.ts). */
  watch(upstream: Upstream): void {
    this.timings.watch(upstream);
  }

  /** After the store has the call's end: its timings go on its row. */
  callEnded(call: Call): void {
    const timings = this.timings.of(call);
    if (this.ctx.store && call.callSid !== undefined && timings !== undefined) this.ctx.store.callTimings(call.callSid, timings);
  }

  /** Routes for Bun.serve; the page is served only when ADMIN_TOKEN was set at start. */
  routes() {
    const on = this.ctx.settings.adminToken !== undefined;
    return {
      [CONSOLE_PATH]: on ? page : () => new Response(OFF_PAGE, { status: 404, headers: { 'content-type': 'text/html; charset=utf-8' } }),
      [`${CONSOLE_PATH}/login`]: { POST: (request: Request) => this.#login(request) },
      [`${CONSOLE_PATH}/logout`]: { POST: (request: Request) => this.#logout(request) },
      [`${CONSOLE_PATH}/api/session`]: { GET: this.#guard(() => json(this.#info())) },
      [`${CONSOLE_PATH}/api/live`]: {
        GET: (request: Request, server: Timeouts) =>
          this.#guard((req, id) => {
            server.timeout(req, 0);
            return this.feed.open(id);
          })(request),
      },
      [`${CONSOLE_PATH}/api/calls`]: { GET: this.#guard((request) => listCalls(this.ctx, request)) },
      [`${CONSOLE_PATH}/api/calls/:sid`]: {
        GET: this.#guard((request) => showCall(this.ctx, decodeURIComponent(new URL(request.url).pathname.split('/').at(-1) ?? ''), this.timings)),
      },
      [`${CONSOLE_PATH}/api/stats`]: { GET: this.#guard(() => stats(this.ctx)) },
    };
  }

  #info(): SessionInfo {
    return { agents: [...this.ctx.agentSet.agents.keys()], endReasons: [...END_REASONS], history: this.ctx.store !== undefined };
  }

  /** A valid session (opened with the admin token in force now), or nothing at all. */
  #guard(handler: Handler): (request: Request) => Response | Promise<Response> {
    return (request) => {
      const token = this.ctx.settings.adminToken;
      if (token === undefined) return json({ error: 'the console is off: set ADMIN_TOKEN and restart' }, 404);
      const id = sessionIdOf(request);
      if (id === undefined || !this.sessions.valid(id, token)) return json({ error: 'log in first' }, 401);
      return handler(request, id);
    };
  }

  async #login(request: Request): Promise<Response> {
    const token = this.ctx.settings.adminToken;
    if (token === undefined) return json({ error: 'the console is off: set ADMIN_TOKEN and restart' }, 404);
    if (this.sessions.throttled) return json({ error: 'too many wrong tokens in the last minute; wait a minute' }, 429);
    const type = request.headers.get('content-type') ?? '';
    if (!type.startsWith('application/x-www-form-urlencoded')) return json({ error: 'send the login form (application/x-www-form-urlencoded)' }, 415);
    const given = new URLSearchParams(await request.text()).get('token') ?? '';
    const id = given === '' ? undefined : this.sessions.login(given, token);
    if (id === undefined) {
      this.ctx.log.warn('console login refused: wrong admin token');
      return json({ error: 'wrong token' }, 401);
    }
    this.ctx.log.info('console login');
    return new Response(null, { status: 204, headers: { 'set-cookie': sessionCookie(id), 'cache-control': 'no-store' } });
  }

  #logout(request: Request): Response {
    this.sessions.logout(sessionIdOf(request));
    return new Response(null, { status: 204, headers: { 'set-cookie': sessionCookie('', 0), 'cache-control': 'no-store' } });
  }
}
