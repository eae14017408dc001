import { expect, test } from 'bun:test';
import { historyQuery as callQuery } from '../store/history.ts';
import { percentiles } from './stats.ts';
import { eventView } from './views.ts';

test('percentiles are nearest-rank: each one a value that was measured', () => {
  expect(percentiles([])).toBeNull();
  expect(percentiles([700])).toEqual({ n: 1, p50: 700, p90: 700, p99: 700 });
  expect(percentiles([400, 100, 300, 200])).toEqual({ n: 4, p50: 200, p90: 400, p99: 400 });
  const hundred = Array.from({ length: 100 }, (_, i) => 100 - i);
  expect(percentiles(hundred)).toEqual({ n: 100, p50: 50, p90: 90, p99: 99 });
});

test('the search form: limits, paging and filters checked; empty fields mean any', () => {
  const q = (query: string) => callQuery(new URLSearchParams(query));
  expect(q('')).toEqual({ limit: 25 });
  expect(q('number=%2B1%20555&agent=&reason=idle&limit=10')).toEqual({ limit: 10, number: '+1 555', endReason: 'idle' });
  expect(q('before=1700000000000&beforeSid=CAabc')).toEqual({ limit: 25, before: 1_700_000_000_000, beforeSid: 'CAabc' });
  expect(q('limit=101')).toBe('limit must be a whole number from 1 to 100');
  expect(q('before=1&beforeSid=CA%27')).toBe('beforeSid must be a CallSid (from the previous page)');
  expect(q(`agent=${'a'.repeat(65)}`)).toBe('agent is longer than 64 characters');
});

test('stored events as the page draws them: key presses as stored, unknown kinds without their data', () => {
  expect(eventView({ seq: 1, at: 5, kind: 'dtmf', data: { count: 3 } })).toEqual({ at: 5, kind: 'dtmf', count: 3 });
  expect(eventView({ seq: 2, at: 6, kind: 'dtmf', data: { keys: '1234' } })).toEqual({ at: 6, kind: 'dtmf', keys: '1234', count: 4 });
  expect(eventView({ seq: 3, at: 7, kind: 'error', data: { message: 'secret stuff' } })).toEqual({ at: 7, kind: 'other', what: 'error' });
  expect(eventView({ seq: 4, at: 8, kind: 'turn', data: { role: 'caller', text: 'Hi' } })).toEqual({ at: 8, kind: 'turn', role: 'caller', text: 'Hi' });
  expect(eventView({ seq: 5, at: 9, kind: 'tool', data: { name: 'weather', arguments: '{}', error: 'down', result: 'down' } })).toMatchObject({ kind: 'tool', error: 'down' });
});
