// Live calls: a card per call in progress, and the transcript of the one selected, growing as
// its turns finish. Fed by the server's event stream (a snapshot a second, new turns as they come).
import { dateTime, duration, offset } from '../shared/format.ts';
import type { LiveCall, LiveSnapshot, LiveTurns, SessionInfo, TimedTurn } from '../shared/types.ts';
import { LoggedOut, session } from './api.ts';
import { h, show } from './dom.ts';

const STATE_WORDS: Record<LiveCall['state'], string> = { greeting: 'hearing the greeting', connected: 'connected', draining: 'connected; server draining' };

export function turnItem(turn: TimedTurn, start: number): HTMLLIElement {
  const who = turn.role === 'caller' ? 'Caller' : `Agent${turn.agent ? ` (${turn.agent})` : ''}`;
  return h('li', { class: turn.role }, h('span', { class: 'who' }, `${who}, ${offset(turn.at, start)}`), turn.text);
}

export function showLive(view: HTMLElement, info: SessionInfo, loggedOut: () => void): { heading: HTMLElement; leave: () => void } {
  const count = h('p', { 'aria-live': 'polite' }, 'Connecting…');
  const asOf = h('p', { class: 'note' });
  const banner = h('p', { class: 'banner', hidden: true }, 'The server is shutting down: calls in progress may finish, new callers hear the busy message.');
  const cards = h('ul', { class: 'cards', 'aria-label': 'Calls in progress' });
  const panel = h('section', { 'aria-labelledby': 'transcript-title' });
  const heading = show(view, 'Live calls', count, banner, cards, panel, asOf);

  const transcripts = new Map<string, TimedTurn[]>();
  const shown = new Map<string, { li: HTMLLIElement; button: HTMLButtonElement; call: LiveCall }>();
  let selected: string | undefined;
  let lines: HTMLOListElement | undefined;
  let last: LiveSnapshot | undefined;

  const describe = (call: LiveCall, now: number) => [
    h('span', { class: 'number' }, call.number ?? 'unknown number'),
    h('br'),
    `${call.agent ?? 'no agent yet'} · `,
    h('span', { class: `badge ${call.state}` }, STATE_WORDS[call.state]),
    h('br'),
    `${duration(Math.max(0, now - call.since))} · ${call.turns} turn${call.turns === 1 ? '' : 's'}`,
  ];

  function select(callSid: string): void {
    selected = callSid;
    for (const [sid, { button }] of shown) button.setAttribute('aria-pressed', String(sid === callSid));
    const call = shown.get(callSid)?.call;
    lines = h('ol', { class: 'conversation', 'aria-live': 'polite', 'aria-label': 'Transcript' });
    const start = call?.since ?? Date.now();
    for (const turn of transcripts.get(callSid) ?? []) lines.append(turnItem(turn, start));
    const title = `Transcript: ${call?.number ?? callSid}`;
    panel.replaceChildren(h('h2', { id: 'transcript-title' }, title), lines);
    if (lines.childElementCount === 0) panel.append(h('p', { class: 'note' }, 'Finished turns appear here as they are spoken.'));
  }

  function ended(callSid: string): void {
    if (callSid !== selected) return;
    const record = info.history ? h('a', { href: `#/calls/${encodeURIComponent(callSid)}` }, 'Open its record') : null;
    panel.append(h('p', { class: 'note', role: 'status' }, 'This call has ended. ', record));
    selected = undefined;
  }

  function render(snapshot: LiveSnapshot): void {
    last = snapshot;
    banner.hidden = !snapshot.draining;
    const n = snapshot.calls.length;
    const words = n === 0 ? 'No calls in progress.' : `${n} call${n === 1 ? '' : 's'} in progress.`;
    if (count.textContent !== words) count.textContent = words;
    asOf.textContent = `As of ${dateTime(snapshot.at)}; updated every second.`;
    const live = new Set(snapshot.calls.map((c) => c.callSid));
    for (const [sid, { li }] of shown) {
      if (live.has(sid)) continue;
      li.remove();
      shown.delete(sid);
      ended(sid);
    }
    for (const call of snapshot.calls) {
      let entry = shown.get(call.callSid);
      if (!entry) {
        const button = h('button', { type: 'button', 'aria-pressed': 'false' });
        button.addEventListener('click', () => select(call.callSid));
        entry = { li: h('li', {}, button), button, call };
        shown.set(call.callSid, entry);
        cards.append(entry.li);
      }
      entry.call = call;
      entry.button.replaceChildren(...describe(call, snapshot.at));
    }
    if (selected === undefined) {
      const first = snapshot.calls.find((c) => c.state !== 'greeting');
      if (first) select(first.callSid);
    }
  }

  const source = new EventSource('/console/api/live');
  source.addEventListener('calls', (e) => render(JSON.parse((e as MessageEvent<string>).data) as LiveSnapshot));
  source.addEventListener('turns', (e) => {
    const update = JSON.parse((e as MessageEvent<string>).data) as LiveTurns;
    const turns = transcripts.get(update.callSid) ?? [];
    turns.length = Math.min(turns.length, update.from);
    turns.push(...update.turns);
    transcripts.set(update.callSid, turns);
    if (update.callSid !== selected || !lines) return;
    if (lines.childElementCount === 0) panel.querySelector('p.note')?.remove();
    const start = shown.get(update.callSid)?.call.since ?? last?.at ?? Date.now();
    for (const turn of update.turns) lines.append(turnItem(turn, start));
  });
  source.addEventListener('error', () => {
    if (source.readyState !== EventSource.CLOSED) return void (count.textContent = 'Reconnecting…');
    // The server refused the stream: most likely the session ended.
    session().then(
      () => (count.textContent = 'The live feed stopped. Reload the page to reconnect.'),
      (error: unknown) => (error instanceof LoggedOut ? loggedOut() : (count.textContent = 'The live feed stopped. Reload the page to reconnect.')),
    );
  });
  return { heading, leave: () => source.close() };
}
