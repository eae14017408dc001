// The console page: log in, then one view at a time chosen by the URL's hash (#/live, #/calls,
// #/calls/CA…, #/numbers), so views can be bookmarked and the back button works.
import { LoggedOut, logIn, logOut, session } from './api.ts';
import { showCall } from './call.ts';
import { h, show } from './dom.ts';
import { showHistory } from './history.ts';
import { showLive } from './live.ts';
import { showNumbers } from './numbers.ts';
import type { SessionInfo } from '../shared/types.ts';

const byId = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const view = byId<HTMLDivElement>('view');
const login = byId<HTMLElement>('login');
const form = byId<HTMLFormElement>('login-form');
const nav = byId<HTMLElement>('nav');
const logout = byId<HTMLButtonElement>('logout');

let info: SessionInfo | undefined;
/** Closes what the current view keeps open (the live event stream). */
let leave: (() => void) | undefined;

function loggedIn(yes: boolean): void {
  login.hidden = yes;
  view.hidden = !yes;
  nav.hidden = !yes;
  logout.hidden = !yes;
}

function showLogin(): void {
  leave?.();
  leave = undefined;
  info = undefined;
  loggedIn(false);
  document.title = 'Log in · switchboard console';
  byId<HTMLInputElement>('token').focus();
}

async function route(focus: boolean): Promise<void> {
  leave?.();
  leave = undefined;
  const [path = '/live', query = ''] = (location.hash.slice(1) || '/live').split('?');
  for (const link of nav.querySelectorAll('a')) {
    const here = path === link.hash.slice(1) || (link.hash === '#/calls' && path.startsWith('/calls/'));
    if (here) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
  try {
    info ??= await session();
    loggedIn(true);
    let heading: HTMLElement;
    if (path === '/live') ({ heading, leave } = showLive(view, info, showLogin));
    else if (path === '/calls') heading = await showHistory(view, info, new URLSearchParams(query));
    else if (path.startsWith('/calls/')) heading = await showCall(view, decodeURIComponent(path.slice('/calls/'.length)));
    else if (path === '/numbers') heading = await showNumbers(view, info);
    else heading = show(view, 'Not found', h('p', {}, 'There is no such page. ', h('a', { href: '#/live' }, 'Live calls')));
    if (focus) heading.focus();
  } catch (error) {
    if (error instanceof LoggedOut) return showLogin();
    loggedIn(true);
    show(view, 'Something went wrong', h('p', { class: 'error', role: 'alert' }, error instanceof Error ? error.message : String(error)));
  }
}

form.addEventListener('submit', async (event) => {
  event.preventDefault();
  const input = byId<HTMLInputElement>('token');
  let problem = await logIn(input.value);
  input.value = '';
  // Accepted, but a browser keeps a Secure cookie only over https or on localhost.
  if (problem === null) problem = await session().then(() => null, () => 'the browser did not keep the session cookie; open the console over https, or at http://localhost through an SSH tunnel');
  byId<HTMLParagraphElement>('login-error').textContent = problem === null ? '' : `Not logged in: ${problem}.`;
  if (problem === null) await route(true);
  else input.focus();
});

logout.addEventListener('click', async () => {
  await logOut();
  showLogin();
});

window.addEventListener('hashchange', () => void route(true));
void route(false);
