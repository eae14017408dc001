// Numbers at a glance: the last 24 hours' calls per hour (chart and table), their end reasons in
// words, and how long callers waited for the agent's first words (percentiles).
import { CATEGORIES } from '../shared/chart.ts';
import { duration } from '../shared/format.ts';
import type { Percentiles, SessionInfo, Stats } from '../shared/types.ts';
import { endCategory, explainEndReason } from '../shared/words.ts';
import { getJson } from './api.ts';
import { callsChart } from './chart.ts';
import { fact, h, show } from './dom.ts';

const CATEGORY_WORDS = { completed: 'ended as intended', failed: 'went wrong', live: 'in progress or no end recorded' } as const;

const spread = (p: Percentiles | null, unit: string) =>
  p === null ? `none in the last 24 hours` : `median ${duration(p.p50)}, 90th percentile ${duration(p.p90)}, 99th percentile ${duration(p.p99)} (${p.n} ${unit})`;

function hourTable(stats: Stats): HTMLDetailsElement {
  const rows = stats.hours.map((hour) => {
    const by = { completed: 0, failed: 0, live: 0 };
    for (const [reason, n] of Object.entries(hour.byReason)) by[endCategory(reason === 'live' ? null : reason)] += n;
    const from = new Date(hour.start);
    return h('tr', {}, h('th', { scope: 'row' }, `${String(from.getHours()).padStart(2, '0')}:00`), ...CATEGORIES.map((c) => h('td', {}, by[c])));
  });
  return h(
    'details',
    {},
    h('summary', {}, 'The same numbers in a table'),
    h('table', {}, h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Hour'), ...CATEGORIES.map((c) => h('th', { scope: 'col' }, CATEGORY_WORDS[c])))), h('tbody', {}, ...rows)),
  );
}

export async function showNumbers(view: HTMLElement, info: SessionInfo): Promise<HTMLElement> {
  if (!info.history) return show(view, 'The last 24 hours', h('p', {}, 'Calls are not recorded on this server (storage.url is off), so there are no numbers to show.'));
  const stats = await getJson<Stats>('/console/api/stats');
  const total = stats.reasons.reduce((sum, r) => sum + r.calls, 0);
  const failed = stats.reasons.filter((r) => endCategory(r.reason === 'live' ? null : r.reason) === 'failed').reduce((sum, r) => sum + r.calls, 0);
  const description = `${total} call${total === 1 ? '' : 's'} in the last 24 hours, ${failed} of them went wrong.`;
  const legend = h('ul', { class: 'legend', 'aria-hidden': 'true' }, ...CATEGORIES.map((c) => h('li', { class: c }, h('span'), CATEGORY_WORDS[c])));
  const reasons = h(
    'table',
    {},
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'End reason'), h('th', { scope: 'col' }, 'Calls'), h('th', { scope: 'col' }, 'What it means'))),
    h('tbody', {}, ...stats.reasons.map((r) => h('tr', {}, h('td', {}, h('span', { class: endCategory(r.reason === 'live' ? null : r.reason) }, r.reason)), h('td', {}, r.calls), h('td', {}, explainEndReason(r.reason === 'live' ? null : r.reason))))),
  );
  return show(
    view,
    'The last 24 hours',
    h('p', {}, description),
    h('h2', {}, 'Calls per hour'),
    h('figure', {}, callsChart(stats, description), legend, hourTable(stats)),
    h('h2', {}, 'First words'),
    h(
      'dl',
      { class: 'facts' },
      ...fact('Stream start to first agent audio', spread(stats.firstAudio, 'calls')),
      ...fact('Caller stops speaking to agent audio', spread(stats.reply, 'answered turns')),
    ),
    h('p', { class: 'note' }, 'Measured where switchboard sees the audio: the phone network adds its own delay both ways.'),
    h('h2', {}, 'How calls ended'),
    total > 0 ? reasons : h('p', {}, 'No calls in the last 24 hours.'),
  );
}
