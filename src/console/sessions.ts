// Console logins: the admin token, typed once into a form, buys a random session id in an
// HttpOnly, Secure, SameSite=Strict cookie; the token itself never leaves the login request. A
// session is bound to the token it was opened with, so changing ADMIN_TOKEN ends every session.
// Sessions live in memory: a restart logs everyone out, which is the safe default. The token typed
// into the form is checked (and wrong ones counted per client) by the admin-token check the bearer
// endpoints use (server/admin-auth.ts); a session opens only once it has passed.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

export const COOKIE_NAME = 'switchboard_console';
/** Only the console's own paths get the cookie (the bearer-token endpoints never read it). */
export const COOKIE_PATH = '/console';
export const SESSION_MAX_AGE_S = 12 * 3600;
/** At most this many open sessions; the oldest goes first. */
const MAX_SESSIONS = 100;

interface Session {
  tokenDigest: Buffer;
  expiresAt: number;
}

const digest = (text: string) => createHash('sha256').update(text).digest();

export class ConsoleSessions {
  readonly #sessions = new Map<string, Session>();

  constructor(private readonly now: () => number = Date.now) {}

  /** A new session id, bound to `adminToken`: call it only once the token given has been checked. */
  open(adminToken: string): string {
    this.#sweep();
    while (this.#sessions.size >= MAX_SESSIONS) this.#sessions.delete(this.#sessions.keys().next().value!);
    const id = randomBytes(32).toString('base64url');
    this.#sessions.set(id, { tokenDigest: digest(adminToken), expiresAt: this.now() + SESSION_MAX_AGE_S * 1000 });
    return id;
  }

  /** The session is open, unexpired, and was opened with the admin token in force now. */
  valid(id: string | undefined, adminToken: string | undefined): boolean {
    if (id === undefined || adminToken === undefined) return false;
    const session = this.#sessions.get(id);
    if (session === undefined) return false;
    if (session.expiresAt <= this.now() || !timingSafeEqual(session.tokenDigest, digest(adminToken))) {
      this.#sessions.delete(id);
      return false;
    }
    return true;
  }

  logout(id: string | undefined): void {
    if (id !== undefined) this.#sessions.delete(id);
  }

  #sweep(): void {
    const now = this.now();
    for (const [id, session] of this.#sessions) if (session.expiresAt <= now) this.#sessions.delete(id);
  }
}

/** The session cookie as the browser must keep it (Max-Age=0 removes it). */
export function sessionCookie(id: string, maxAgeS = SESSION_MAX_AGE_S): string {
  return new Bun.Cookie(COOKIE_NAME, id, { path: COOKIE_PATH, httpOnly: true, secure: true, sameSite: 'strict', maxAge: maxAgeS }).serialize();
}

export function sessionIdOf(request: Request): string | undefined {
  const header = request.headers.get('cookie');
  return header === null ? undefined : (new Bun.CookieMap(header).get(COOKIE_NAME) ?? undefined);
}
