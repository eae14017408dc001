// Console logins: the admin token, typed once into a form, buys a random session id in an
// HttpOnly, Secure, SameSite=Strict cookie; the token itself never leaves the login request. A
// session is bound to the token it was opened with, so changing ADMIN_TOKEN ends every session.
// Sessions live in memory: a restart logs everyone out, which is the safe default.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

export const COOKIE_NAME = 'switchboard_console';
/** Only the console's own paths get the cookie (the bearer-token endpoints never read it). */
export const COOKIE_PATH = '/console';
export const SESSION_MAX_AGE_S = 12 * 3600;
/** At most this many open sessions; the oldest goes first. */
const MAX_SESSIONS = 100;
/** Failed logins allowed per minute, from anywhere: guessing a 32-character token stays hopeless. */
export const MAX_FAILED_LOGINS_PER_MINUTE = 20;

interface Session {
  tokenDigest: Buffer;
  expiresAt: number;
}

const digest = (text: string) => createHash('sha256').update(text).digest();

/** Constant time, whatever the lengths (the digests are). */
export function sameToken(given: string, expected: string): boolean {
  return timingSafeEqual(digest(given), digest(expected));
}

export class ConsoleSessions {
  readonly #sessions = new Map<string, Session>();
  readonly #failures: number[] = [];

  constructor(private readonly now: () => number = Date.now) {}

  /** A new session id, or undefined for a wrong token (counted). */
  login(given: string, adminToken: string): string | undefined {
    if (!sameToken(given, adminToken)) {
      this.#failures.push(this.now());
      return undefined;
    }
    this.#sweep();
    while (this.#sessions.size >= MAX_SESSIONS) this.#sessions.delete(this.#sessions.keys().next().value!);
    const id = randomBytes(32).toString('base64url');
    this.#sessions.set(id, { tokenDigest: digest(adminToken), expiresAt: this.now() + SESSION_MAX_AGE_S * 1000 });
    return id;
  }

  /** Too many wrong tokens in the last minute: refuse logins for now. */
  get throttled(): boolean {
    const minuteAgo = this.now() - 60_000;
    while (this.#failures.length > 0 && this.#failures[0]! < minuteAgo) this.#failures.shift();
    return this.#failures.length >= MAX_FAILED_LOGINS_PER_MINUTE;
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
