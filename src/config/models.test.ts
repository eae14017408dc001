import { describe, expect, test } from 'bun:test';
import { daysUntil, isIsoDate, isLiveModel, isReasoningModel, retirementOf, shutdownText, todayUtc } from './models.ts';

describe('models', () => {
  test('the reasoning family is gpt-realtime-2 and its versions, not the 2025 snapshot of gpt-realtime', () => {
    for (const m of ['gpt-realtime-2', 'gpt-realtime-2.1', 'gpt-realtime-2.1-mini', 'gpt-realtime-2-2026-05-01']) expect(isReasoningModel(m)).toBe(true);
    for (const m of ['gpt-realtime', 'gpt-realtime-2025-08-28', 'gpt-realtime-1.5', 'gpt-realtime-mini', 'gpt-realtime-20']) expect(isReasoningModel(m)).toBe(false);
  });

  test('GPT-Live models are told apart from Realtime ones', () => {
    expect(isLiveModel('gpt-live-1')).toBe(true);
    expect(isLiveModel('gpt-live-1.1')).toBe(true);
    expect(isLiveModel('gpt-realtime-2.1')).toBe(false);
    expect(isLiveModel('gpt-liveliness')).toBe(false);
  });

  test('retirements name a replacement; current models have none', () => {
    expect(retirementOf('gpt-realtime-2025-08-28')).toEqual({ model: 'gpt-realtime-2025-08-28', kind: 'realtime', shutdown: '2027-01-20', replacement: 'gpt-realtime-2.1' });
    expect(retirementOf('gpt-4o-transcribe-diarize')?.replacement).toBe('gpt-transcribe');
    expect(retirementOf('gpt-realtime-2.1')).toBeUndefined();
  });

  test('days and dates', () => {
    expect(daysUntil('2027-01-20', '2026-12-01')).toBe(50);
    expect(daysUntil('2027-01-20', '2027-01-20')).toBe(0);
    expect(daysUntil('2027-01-20', '2027-02-01')).toBe(-12);
    expect(shutdownText('2027-01-20', '2027-01-19')).toEqual({ text: 'shuts down on 2027-01-20 (in 1 day)', passed: false });
    expect(shutdownText('2027-01-20', '2027-01-20')).toEqual({ text: 'shut down on 2027-01-20', passed: true });
    expect(todayUtc(new Date('2026-12-01T23:59:59-05:00'))).toBe('2026-12-02');
    expect(isIsoDate('2027-02-28')).toBe(true);
    for (const d of ['2027-02-30', '2027-1-2', '27-01-02', 'tomorrow', '']) expect(isIsoDate(d)).toBe(false);
  });
});
