// Call history: a search form (part of a number, an agent, an end reason) and a page of calls,
// newest first, each linking to its record. The search lives in the URL, so it can be shared.
import { dateTime, duration } from '../shared/format.ts';
import type { CallList, CallSummary, SessionInfo } from '../shared/types.ts';
import { endCategory } from '../shared/words.ts';
import { getJson } from './api.ts';
import { h, show } from './dom.ts';

const FILTERS = ['number', 'agent', 'reason'] as const;

function searchForm(info: SessionInfo, params: URLSearchParams): HTMLFormElement {
  const choose = (name: string, label: string, options: readonly string[]) =>
    h(
      'div',
      {},
      h('label', { for: `search-${name}` }, label),
      h('select', { id: `search-${name}`, name }, h('option', { value: '' }, 'any'), ...options.map((o) => h('option', { value: o, selected: params.get(name) === o }, o))),
    );
  const form = h(
    'form',
    { class: 'search', role: 'search', 'aria-label': 'Search calls' },
    h('div', {}, h('label', { for: 'search-number' }, 'Number (any part)'), h('input', { id: 'search-number', name: 'number', inputmode: 'tel', value: params.get('number') ?? '', placeholder: 'e.g. 4321' })),
    choose('agent', 'Agent', info.agents),
    choose('reason', 'End reason', info.endReasons),
    h('div', {}, h('button', { type: 'submit' }, 'Search')),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const query = new URLSearchParams();
    for (const [name, value] of new FormData(form)) if (typeof value === 'string' && value.trim() !== '') query.set(name, value.trim());
    location.hash = `#/calls${query.size > 0 ? `?${query}` : ''}`;
  });
  return form;
}

const cell = (label: string, ...content: (Node | string)[]) => h('td', { 'data-label': label }, ...content);

function row(call: CallSummary): HTMLTableRowElement {
  const length = call.endedAt === null ? (call.live ? 'in progress' : 'not recorded') : duration(call.endedAt - call.startedAt);
  const reason = call.endReason ?? (call.live ? 'live' : 'unknown');
  return h(
    'tr',
    {},
    cell('Started', h('a', { href: `#/calls/${encodeURIComponent(call.callSid)}` }, dateTime(call.startedAt))),
    cell('Number', call.number ?? 'unknown'),
    cell('Agents', call.agents.join(' → ') || 'none'),
    cell('Length', length),
    cell('Ended', h('span', { class: endCategory(call.endReason) }, reason)),
    cell('Tools', call.tools.length > 0 ? [...new Set(call.tools)].join(', ') : 'none'),
  );
}

export async function showHistory(view: HTMLElement, info: SessionInfo, params: URLSearchParams): Promise<HTMLElement> {
  if (!info.history) return show(view, 'Call history', h('p', {}, 'Calls are not recorded on this server (storage.url is off), so there is no history: only live calls.'));
  const filters = new URLSearchParams();
  for (const name of FILTERS) if (params.get(name)) filters.set(name, params.get(name)!);
  const api = new URLSearchParams(filters);
  for (const name of ['before', 'beforeSid']) if (params.get(name)) api.set(name, params.get(name)!);
  const page = await getJson<CallList>(`/console/api/calls?${api}`);
  const searching = filters.size > 0;
  const table = h(
    'table',
    { class: 'calls' },
    h('caption', {}, `${page.calls.length} call${page.calls.length === 1 ? '' : 's'}${searching ? ' matching the search' : ''}, newest first${params.has('before') ? ' (an older page)' : ''}`),
    h('thead', {}, h('tr', {}, ...['Started', 'Number', 'Agents', 'Length', 'Ended', 'Tools'].map((c) => h('th', { scope: 'col' }, c)))),
    h('tbody', {}, ...page.calls.map(row)),
  );
  const older = page.next ? new URLSearchParams({ ...Object.fromEntries(filters), before: String(page.next.before), beforeSid: page.next.beforeSid }) : null;
  const pages = h(
    'nav',
    { class: 'pages', 'aria-label': 'Pages' },
    params.has('before') ? h('a', { href: `#/calls${filters.size > 0 ? `?${filters}` : ''}` }, '← Newest calls') : null,
    older ? h('a', { href: `#/calls?${older}` }, 'Older calls →') : null,
  );
  const empty = page.calls.length === 0 ? h('p', {}, searching ? 'No call matches this search.' : 'No calls recorded yet.') : null;
  return show(view, 'Call history', searchForm(info, params), empty ?? table, pages);
}
