// One call's record: who, when, how it ended (in words), the timings a caller feels, and the
// conversation with its tool calls, handoffs and key presses in the order they happened.
import { dateTime, duration, offset } from '../shared/format.ts';
import type { CallDetail, CallEventView, CallTimings } from '../shared/types.ts';
import { endCategory, explainEndReason } from '../shared/words.ts';
import { getJson } from './api.ts';
import { fact, h, show, type Child } from './dom.ts';
import { turnItem } from './live.ts';

function timings(t: CallTimings | null, live: boolean): HTMLElement {
  if (t === null) {
    return h('p', {}, live ? 'Measured while the call goes on; shown here once it has ended.' : 'Not recorded for this call (it was recorded before switchboard measured timings, or the server stopped first).');
  }
  const longest = t.replyMs.length > 0 ? Math.max(...t.replyMs) : undefined;
  const connect =
    t.connectMs === undefined
      ? 'not available: the Realtime session never connected'
      : `${duration(t.connectMs)}${t.prewarmed ? ', opened while the caller heard the greeting' : ', opened when the stream started'}; the stream waited ${duration(t.waitedMs ?? 0)} for it`;
  return h(
    'dl',
    { class: 'facts' },
    ...fact('Stream start to first agent audio', t.firstAudioMs === undefined ? 'not measured: the agent never spoke' : duration(t.firstAudioMs)),
    ...fact('Realtime session connect', connect),
    ...fact('Longest silence after the caller spoke', longest === undefined ? 'not measured: no caller turn was answered' : `${duration(longest)} (until the agent's audio began)`),
    ...fact('Caller turns answered', String(t.replyMs.length)),
  );
}

function eventItem(event: CallEventView, start: number): HTMLLIElement {
  const at = offset(event.at, start);
  const line = (what: string, ...rest: Child[]) => h('li', { class: 'event' }, h('span', { class: 'who' }, `${what}, ${at}`), ...rest);
  switch (event.kind) {
    case 'turn':
      return turnItem({ role: event.role, agent: event.agent, text: event.text, at: event.at }, start);
    case 'tool':
      return line(
        `Tool ${event.name}${event.durationMs === undefined ? '' : ` (${duration(event.durationMs)})`}`,
        h('span', {}, 'Arguments'),
        h('pre', {}, event.arguments || '(none)'),
        h('span', { class: event.error ? 'error' : '' }, event.error ? 'Failed' : 'Result'),
        h('pre', {}, event.error ?? event.result ?? '(no result: the call ended first)'),
      );
    case 'handoff':
      return line('Handoff', `${event.from} handed the call to ${event.to}.`);
    case 'dtmf':
      return line('Keypad', event.keys === undefined ? `${event.count} key${event.count === 1 ? '' : 's'} pressed (the keys are not stored; see storage.keep_dtmf).` : `Keys: ${event.keys}`);
    case 'transfer':
      return line('Transfer', `Transferred to ${event.to}.`);
    case 'guardrail':
      return line(
        'Guardrail',
        `${event.name} cut the agent${event.agent ? ` (${event.agent})` : ''} off. `,
        event.message === undefined ? 'What the caller heard instead was not recorded.' : `The caller heard instead: “${event.message}”`,
      );
    case 'other':
      return line(event.what, 'Recorded; not shown here.');
  }
}

export async function showCall(view: HTMLElement, callSid: string): Promise<HTMLElement> {
  const { call, events, timings: measured } = await getJson<CallDetail>(`/console/api/calls/${encodeURIComponent(callSid)}`);
  const length = call.endedAt === null ? (call.live ? 'in progress' : 'no end recorded') : duration(call.endedAt - call.startedAt);
  const summary = h(
    'dl',
    { class: 'facts' },
    ...fact('Started', dateTime(call.startedAt)),
    ...fact('Length', length),
    ...fact('Direction', call.direction ?? 'unknown'),
    ...fact(call.direction?.startsWith('outbound') ? 'Called from' : 'Number called', call.line ?? 'unknown'),
    ...fact('Agents', call.agents.join(' → ') || 'none'),
    ...fact('Ended', h('span', { class: endCategory(call.endReason) }, call.endReason ?? (call.live ? 'still live' : 'unknown')), ' — ', explainEndReason(call.endReason)),
    ...fact('Tools used', call.tools.length > 0 ? call.tools.join(', ') : 'none'),
    ...fact('CallSid', h('code', {}, call.callSid)),
  );
  const conversation = h('ol', { class: 'conversation', 'aria-label': 'Conversation' }, ...events.map((e) => eventItem(e, call.startedAt)));
  return show(
    view,
    `Call ${call.number ?? call.callSid}`,
    h('p', {}, h('a', { href: '#/calls' }, '← Call history'), call.live ? ' · this call is live: ' : null, call.live ? h('a', { href: '#/live' }, 'follow it') : null),
    summary,
    h('h2', {}, 'Timings'),
    timings(measured, call.live),
    h('h2', {}, 'Conversation'),
    events.length > 0 ? conversation : h('p', {}, 'Nothing was said or done on this call.'),
    h('p', { class: 'note' }, 'Times are from the start of the call, as switchboard recorded each finished turn (within a second of it ending).'),
  );
}
