import { expect, test } from 'bun:test';
import { sameToken } from '../server/admin-auth.ts';
import { ConsoleSessions, SESSION_MAX_AGE_S, sessionCookie, sessionIdOf } from './sessions.ts';

const TOKEN = 'admin-token-0123456789abcdef-0123456789';

test('the token is compared whole, whatever the lengths', () => {
  expect(sameToken(TOKEN, TOKEN)).toBe(true);
  for (const wrong of ['', 'wrong', TOKEN.slice(0, -1), `${TOKEN}x`, TOKEN.toUpperCase()]) expect(sameToken(wrong, TOKEN)).toBe(false);
});

test('a session is bound to the token it was opened with, and holds until it expires or the token changes', () => {
  let now = 1_000_000;
  const sessions = new ConsoleSessions(() => now);
  const id = sessions.open(TOKEN);
  expect(id).toMatch(/^[A-Za-z0-9_-]{43}$/);
  expect(sessions.open(TOKEN)).not.toBe(id);
  expect(sessions.valid(id, TOKEN)).toBe(true);
  expect(sessions.valid(id, 'another-token')).toBe(false);
  // Once refused for another token, the session is gone: going back does not revive it.
  expect(sessions.valid(id, TOKEN)).toBe(false);

  const second = sessions.open(TOKEN)!;
  expect(sessions.valid(second, undefined)).toBe(false);
  expect(sessions.valid(undefined, TOKEN)).toBe(false);
  now += SESSION_MAX_AGE_S * 1000 - 1;
  expect(sessions.valid(second, TOKEN)).toBe(true);
  now += 1;
  expect(sessions.valid(second, TOKEN)).toBe(false);

  const third = sessions.open(TOKEN)!;
  sessions.logout(third);
  expect(sessions.valid(third, TOKEN)).toBe(false);
});

test('at most 100 sessions: the oldest is closed first', () => {
  const sessions = new ConsoleSessions();
  const ids = Array.from({ length: 101 }, () => sessions.open(TOKEN)!);
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
