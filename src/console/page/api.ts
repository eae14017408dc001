// The console's API from the page: JSON with the session cookie (sent by the browser, unreadable
// to this script). A 401 means "log in"; anything else that is not OK carries an error in words.
import type { SessionInfo } from '../shared/types.ts';

export class LoggedOut extends Error {}

export async function getJson<T>(path: string): Promise<T> {
  const response = await fetch(path, { headers: { accept: 'application/json' }, credentials: 'same-origin' });
  if (response.status === 401) throw new LoggedOut('log in first');
  const body = (await response.json().catch(() => ({}))) as { error?: string };
  if (!response.ok) throw new Error(body.error ?? `${response.status} ${response.statusText}`);
  return body as T;
}

export const session = () => getJson<SessionInfo>('/console/api/session');

/** The token goes in the body of one POST; the answer sets the cookie. An error in words, or null. */
export async function logIn(token: string): Promise<string | null> {
  const response = await fetch('/console/login', {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ token }),
    credentials: 'same-origin',
  });
  if (response.ok) return null;
  const body = (await response.json().catch(() => ({}))) as { error?: string };
  return body.error ?? `${response.status} ${response.statusText}`;
}

export async function logOut(): Promise<void> {
  await fetch('/console/logout', { method: 'POST', credentials: 'same-origin' });
}
