// Console logins: the admin token, typed once into a form, buys a random login id in an
// HttpOnly, Secure, SameSite=Strict cookie; the token itself never leaves the login request. A
// login is bound to the token it was opened with, so changing ADMIN_TOKEN ends every login.
// Logins live in memory: a restart logs everyone out, which is the safe default. The token typed
// into the form is checked (and wrong ones counted per client) by the admin-token check the bearer
// endpoints use (server/admin-auth.ts); a login opens only once it has passed. (Named logins, not
// sessions: a session in this code base is a call's Realtime session.)
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** Kept as it was when these were called sessions: browsers hold cookies by this name. */
export const COOKIE_NAME = 'switchboard_console';
/** Only the console's own paths get the cookie (the bearer-token endpoints never read it). */
export const COOKIE_PATH = '/console';
export const LOGIN_MAX_AGE_S = 12 * 3600;
/** At most this many open logins; the oldest goes first. */
const MAX_LOGINS = 100;

interface Login {
  tokenDigest: Buffer;
  expiresAt: number;
}

const digest = (text: string) => createHash('sha256').update(text).digest();

export class ConsoleLogins {
  readonly #logins = new Map<string, Login>();

  constructor(private readonly now: () => number = Date.now) {}

  /** A new login id, bound to `adminToken`: call it only once the token given has been checked. */
  open(adminToken: string): string {
    this.#sweep();
    while (this.#logins.size >= MAX_LOGINS) this.#logins.delete(this.#logins.keys().next().value!);
    const id = randomBytes(32).toString('base64url');
    this.#logins.set(id, { tokenDigest: digest(adminToken), expiresAt: this.now() + LOGIN_MAX_AGE_S * 1000 });
    return id;
  }

  /** The login is open, unexpired, and was opened with the admin token in force now. */
  valid(id: string | undefined, adminToken: string | undefined): boolean {
    if (id === undefined || adminToken === undefined) return false;
    const login = this.#logins.get(id);
    if (login === undefined) return false;
    if (login.expiresAt <= this.now() || !timingSafeEqual(login.tokenDigest, digest(adminToken))) {
      this.#logins.delete(id);
      return false;
    }
    return true;
  }

  logout(id: string | undefined): void {
    if (id !== undefined) this.#logins.delete(id);
  }

  #sweep(): void {
    const now = this.now();
    for (const [id, login] of this.#logins) if (login.expiresAt <= now) this.#logins.delete(id);
  }
}

/** The login cookie as the browser must keep it (Max-Age=0 removes it). */
export function loginCookie(id: string, maxAgeS = LOGIN_MAX_AGE_S): string {
  return new Bun.Cookie(COOKIE_NAME, id, { path: COOKIE_PATH, httpOnly: true, secure: true, sameSite: 'strict', maxAge: maxAgeS }).serialize();
}

export function loginIdOf(request: Request): string | undefined {
  const header = request.headers.get('cookie');
  return header === null ? undefined : (new Bun.CookieMap(header).get(COOKIE_NAME) ?? undefined);
}
