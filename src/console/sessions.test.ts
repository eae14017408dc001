import { expect, test } from 'bun:test';
import { ConsoleSessions, MAX_FAILED_LOGINS_PER_MINUTE, SESSION_MAX_AGE_S, sessionCookie, sessionIdOf } from './sessions.ts';

const TOKEN = 'admin-token-0123456789abcdef';

test('a session opens with the token only, and holds until it expires or the token changes', () => {
  let now = 1_000_000;
  const sessions = new ConsoleSessions(() => now);
  expect(sessions.login('wrong', TOKEN)).toBeUndefined();
  expect(sessions.login(TOKEN.slice(0, -1), TOKEN)).toBeUndefined();
  const id = sessions.login(TOKEN, TOKEN)!;
  expect(id).toMatch(/^[A-Za-z0-9_-]{43}$/);
  expect(sessions.login(TOKEN, TOKEN)).not.toBe(id);
  expect(sessions.valid(id, TOKEN)).toBe(true);
  expect(sessions.valid(id, 'another-token')).toBe(false);
  // Once refused for another token, the session is gone: going back does not revive it.
  expect(sessions.valid(id, TOKEN)).toBe(false);

  const second = sessions.login(TOKEN, TOKEN)!;
  expect(sessions.valid(second, undefined)).toBe(false);
  expect(sessions.valid(undefined, TOKEN)).toBe(false);
  now += SESSION_MAX_AGE_S * 1000 - 1;
  expect(sessions.valid(second, TOKEN)).toBe(true);
  now += 1;
  expect(sessions.valid(second, TOKEN)).toBe(false);

  const third = sessions.login(TOKEN, TOKEN)!;
  sessions.logout(third);
  expect(sessions.valid(third, TOKEN)).toBe(false);
});

test('wrong tokens are throttled for a minute after too many', () => {
  let now = 0;
  const sessions = new ConsoleSessions(() => now);
  for (let i = 0; i < MAX_FAILED_LOGINS_PER_MINUTE - 1; i++) sessions.login(`guess-${i}`, TOKEN);
  expect(sessions.throttled).toBe(false);
  sessions.login('one more', TOKEN);
  expect(sessions.throttled).toBe(true);
  now += 60_001;
  expect(sessions.throttled).toBe(false);
});

test('at most 100 sessions: the oldest is closed first', () => {
  const sessions = new ConsoleSessions();
  const ids = Array.from({ length: 101 }, () => sessions.login(TOKEN, TOKEN)!);
  expect(sessions.valid(ids[0], TOKEN)).toBe(false);
  expect(sessions.valid(ids[1], TOKEN)).toBe(true);
  expect(sessions.valid(ids[100], TOKEN)).toBe(true);
});

test('the cookie: HttpOnly, Secure, SameSite=Strict, for /console; read back from a Cookie header', () => {
  expect(sessionCookie('abc')).toBe('switchboard_console=abc; Path=/console; Max-Age=43200; Secure; HttpOnly; SameSite=Strict');
  expect(sessionCookie('', 0)).toContain('Max-Age=0');
  expect(sessionIdOf(new Request('http://x/', { headers: { cookie: 'a=1; switchboard_console=abc; b=2' } }))).toBe('abc');
  expect(sessionIdOf(new Request('http://x/', { headers: { cookie: 'a=1' } }))).toBeUndefined();
  expect(sessionIdOf(new Request('http://x/'))).toBeUndefined();
});
