import { describe, expect, test } from 'bun:test';
import { z } from 'zod';
import { allowedKeys, closest, describeIssues } from './issues.ts';
import { configSchema } from '../schema/schema.ts';

const problems = (data: unknown) => {
  const parsed = configSchema.safeParse(data);
  return parsed.success ? [] : describeIssues(parsed.error.issues, data, configSchema);
};

describe('allowedKeys', () => {
  test('reads the keys of the strict object at a path through records, defaults and transforms', () => {
    expect(allowedKeys(configSchema, [])).toEqual(['openai', 'entry', 'numbers', 'storage', 'outbound', 'approvals', 'agents', 'limits', 'fallback', 'tools', 'mcp_servers', 'filler_after_ms', 'filler_say', 'guardrails', 'on_call_end', 'privacy', 'logging']);
    expect(allowedKeys(configSchema, ['tools', 'x', 'parameters', 'y'])).toEqual([
      'type',
      'description',
      'enum',
      'optional',
    ]);
    expect(allowedKeys(configSchema, ['agents', 'x', 'tools'])).toEqual([]);
    expect(allowedKeys(z.string(), ['a'])).toEqual([]);
  });
});

test('closest: the first candidate within a third of its length, for "did you mean"', () => {
  expect(closest('vers', ['alloy', 'verse'])).toBe('verse');
  expect(closest('voise', ['name', 'voice'])).toBe('voice');
  expect(closest('robot', ['alloy', 'verse'])).toBeUndefined();
});

describe('describeIssues', () => {
  test('one problem per unknown key, at the key, with a suggestion or the allowed keys', () => {
    expect(problems({ agents: { a: { instructions: 'x', voise: 'v', zzz: 1 } } })).toEqual([
      { path: ['agents', 'a', 'voise'], at: 'key', message: 'unknown key "voise"; did you mean "voice"?' },
      {
        path: ['agents', 'a', 'zzz'],
        at: 'key',
        message:
          'unknown key "zzz"; allowed keys: name, instructions, voice, say, first_message, dtmf, tools, mcp_servers, handoffs, handoff_description, fallback, reasoning, guardrails, turn_detection, noise_reduction, speed, max_output_tokens, tool_choice, temperature, transcription',
      },
    ]);
  });

  test('missing keys, wrong kinds, enums and bad ids', () => {
    expect(problems({ approvals: 'maybe', agents: { 'bad id': { instructions: 'x' }, b: { tools: 'x' } } })).toEqual([
      { path: ['approvals'], at: 'value', message: 'must be one of: approve, reject' },
      {
        path: ['agents', 'bad id'],
        at: 'key',
        message: 'agent ids may only contain letters, digits, "_" and "-"',
      },
      { path: ['agents', 'b', 'instructions'], at: 'value', message: 'missing required key "instructions"' },
      { path: ['agents', 'b', 'tools'], at: 'value', message: 'expected a list, got a string' },
    ]);
  });

  test('never includes the value itself', () => {
    const secret = 'sk-supersecret';
    const all = problems({ openai: { url: secret, model: [secret] }, agents: { a: { instructions: 'x', tools: secret } } });
    expect(all.length).toBe(3);
    for (const p of all) expect(p.message).not.toContain(secret);
  });
});
