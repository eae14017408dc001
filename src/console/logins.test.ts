// Console logins: bound to the admin token, expiring, bounded; the cookie that carries them.
import { expect, test } from 'bun:test';
import { sameToken } from '../server/admin-auth.ts';
import { ConsoleLogins, LOGIN_MAX_AGE_S, loginCookie, loginIdOf } from './logins.ts';

const TOKEN = 'admin-token-0123456789abcdef-0123456789';

test('the token is compared whole, whatever the lengths', () => {
  expect(sameToken(TOKEN, TOKEN)).toBe(true);
  for (const wrong of ['', 'wrong', TOKEN.slice(0, -1), `${TOKEN}x`, TOKEN.toUpperCase()]) expect(sameToken(wrong, TOKEN)).toBe(false);
});

test('a login is bound to the token it was opened with, and holds until it expires or the token changes', () => {
  let now = 1_000_000;
  const logins = new ConsoleLogins(() => now);
  const id = logins.open(TOKEN);
  expect(id).toMatch(/^[A-Za-z0-9_-]{43}$/);
  expect(logins.open(TOKEN)).not.toBe(id);
  expect(logins.valid(id, TOKEN)).toBe(true);
  expect(logins.valid(id, 'another-token')).toBe(false);
  // Once refused for another token, the login is gone: going back does not revive it.
  expect(logins.valid(id, TOKEN)).toBe(false);

  const second = logins.open(TOKEN)!;
  expect(logins.valid(second, undefined)).toBe(false);
  expect(logins.valid(undefined, TOKEN)).toBe(false);
  now += LOGIN_MAX_AGE_S * 1000 - 1;
  expect(logins.valid(second, TOKEN)).toBe(true);
  now += 1;
  expect(logins.valid(second, TOKEN)).toBe(false);

  const third = logins.open(TOKEN)!;
  logins.logout(third);
  expect(logins.valid(third, TOKEN)).toBe(false);
});

test('at most 100 logins: the oldest is closed first', () => {
  const logins = new ConsoleLogins();
  const ids = Array.from({ length: 101 }, () => logins.open(TOKEN)!);
  expect(logins.valid(ids[0], TOKEN)).toBe(false);
  expect(logins.valid(ids[1], TOKEN)).toBe(true);
  expect(logins.valid(ids[100], TOKEN)).toBe(true);
});

test('the cookie: HttpOnly, Secure, SameSite=Strict, for /console; read back from a Cookie header', () => {
  expect(loginCookie('abc')).toBe('switchboard_console=abc; Path=/console; Max-Age=43200; Secure; HttpOnly; SameSite=Strict');
  expect(loginCookie('', 0)).toContain('Max-Age=0');
  expect(loginIdOf(new Request('http://x/', { headers: { cookie: 'a=1; switchboard_console=abc; b=2' } }))).toBe('abc');
  expect(loginIdOf(new Request('http://x/', { headers: { cookie: 'a=1' } }))).toBeUndefined();
  expect(loginIdOf(new Request('http://x/'))).toBeUndefined();
});
