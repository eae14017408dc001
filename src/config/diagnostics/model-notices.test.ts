import { describe, expect, test } from 'bun:test';
import { DEFAULT_OPENAI_REALTIME_MODEL } from '@openai/agents/realtime';
import { ConfigErrors, formatError } from './errors.ts';
import { parseConfig } from '../load.ts';

const TODAY = '2026-12-01';
const yaml = (...openai: string[]) => ['openai:', ...openai.map((l) => `  ${l}`), 'agents:', '  a: { instructions: hi }', ''].join('\n');
const notices = (source: string, today = TODAY, env = {}) =>
  parseConfig(source, 'agents.yaml', env, { today }).notices.map((n) => `${n.severity}: ${formatError(n)}`);
const errors = (source: string) => {
  try {
    parseConfig(source, 'agents.yaml', {}, { today: TODAY });
  } catch (error) {
    if (error instanceof ConfigErrors) return error.format();
    throw error;
  }
  throw new Error('expected ConfigErrors');
};

describe('model notices', () => {
  test('no openai.model means the SDK default, with nothing to warn about', () => {
    const { config, notices } = parseConfig('agents:\n  a: { instructions: hi }\n', 'agents.yaml', {}, { today: TODAY });
    expect(config.openai.model).toBe(DEFAULT_OPENAI_REALTIME_MODEL);
    expect(config.openai.transcription.model).toBe('gpt-transcribe');
    expect(notices).toEqual([]);
  });

  test('current models get no notice', () => {
    expect(notices(yaml('model: gpt-realtime-2.1', 'transcription: { model: gpt-realtime-whisper }'))).toEqual([]);
    expect(notices(yaml('model: gpt-realtime-2.1-mini', 'reasoning: { effort: minimal }'))).toEqual([]);
  });

  test('a retired realtime model warns at its line with the date, the days left and the replacement', () => {
    expect(notices(yaml('model: gpt-realtime'))).toEqual([
      'warning: agents.yaml:2:10  openai.model: gpt-realtime shuts down on 2027-01-20 (in 50 days); use gpt-realtime-2.1',
    ]);
    expect(notices(yaml('model: gpt-audio-mini-2025-12-15'), '2027-01-19')).toEqual([
      'warning: agents.yaml:2:10  openai.model: gpt-audio-mini-2025-12-15 shuts down on 2027-01-20 (in 1 day); use gpt-realtime-2.1-mini',
    ]);
  });

  test('from the shutdown day on it is an error', () => {
    for (const today of ['2027-01-20', '2027-01-21']) {
      expect(notices(yaml('model: gpt-realtime-mini'), today)).toEqual([
        'error: agents.yaml:2:10  openai.model: gpt-realtime-mini shut down on 2027-01-20; use gpt-realtime-2.1-mini',
      ]);
    }
  });

  test('a retired transcription model warns likewise', () => {
    expect(notices(yaml('model: gpt-realtime-2.1', 'transcription:', '  model: whisper-1'))).toEqual([
      'warning: agents.yaml:4:12  openai.transcription.model: whisper-1 shuts down on 2027-02-26 (in 87 days); use gpt-transcribe',
    ]);
  });

  test('a model from the environment is not quoted', () => {
    expect(notices(yaml('model: ${MODEL}'), TODAY, { MODEL: 'gpt-realtime' })).toEqual([
      'warning: agents.yaml:2:10  openai.model: this model shuts down on 2027-01-20 (in 50 days); use gpt-realtime-2.1',
    ]);
  });

  test('a reasoning effort for a model that does not reason is a warning at the key', () => {
    const source = ['openai:', '  model: gpt-realtime-1.5', '  reasoning: { effort: low }', 'agents:', '  a:', '    instructions: hi', '    reasoning: { effort: high }', ''].join('\n');
    const why = 'does not reason (only the gpt-realtime-2 family does), so the API ignores or refuses this; remove it or use gpt-realtime-2.1';
    expect(notices(source)).toEqual([
      `warning: agents.yaml:3:3  openai.reasoning: openai.model ${why}`,
      `warning: agents.yaml:7:5  agents.a.reasoning: openai.model ${why}`,
    ]);
  });
});

describe('model errors', () => {
  test('a GPT-Live model is refused at its line, naming the current Realtime model', () => {
    expect(errors(yaml('model: gpt-live-1'))).toBe(
      `agents.yaml:2:10  openai.model: GPT-Live models do not serve the Realtime API, which switchboard speaks; use ${DEFAULT_OPENAI_REALTIME_MODEL}`,
    );
  });

  test('an unknown effort, globally or per agent', () => {
    const source = ['openai:', '  reasoning: { effort: extreme }', 'agents:', '  a:', '    instructions: hi', '    reasoning: { effort: 3 }', ''].join('\n');
    expect(errors(source).split('\n')).toEqual([
      'agents.yaml:2:24  openai.reasoning.effort: must be one of: minimal, low, medium, high, xhigh',
      'agents.yaml:6:26  agents.a.reasoning.effort: must be one of: minimal, low, medium, high, xhigh',
    ]);
  });

  test('a transcription language must be an ISO-639-1 code', () => {
    expect(errors(yaml('transcription: { language: english }'))).toBe(
      'agents.yaml:2:30  openai.transcription.language: must be an ISO-639-1 language code like en or es',
    );
  });
});
