// Model shutdowns as a user meets them: `check` (today or --date) and `serve`, as real processes.
import { describe, expect, test } from 'bun:test';
import { join } from 'node:path';
import { ROOT, runCli, runServe, scratchDir } from '../cli.ts';

const config = (model: string, ...more: string[]) =>
  ['# yaml-language-server: $schema=./agents.schema.json', 'openai:', `  model: ${model}`, ...more, 'agents:', '  greeter: { instructions: hi }', ''].join('\n');

describe('check and model shutdowns', () => {
  test('the shipped agents.yaml gets no warning', async () => {
    const r = await runCli(['check', '--config', join(ROOT, 'agents.yaml'), '--date', '2026-12-01']);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(r.stdout).toContain('; model gpt-realtime-2.1');
  });

  test('a retiring model warns at its line with the date, the days left and the replacement; exit 0', async () => {
    const dir = scratchDir({ 'agents.yaml': config('gpt-realtime') });
    const r = await runCli(['check', '--date', '2026-12-01'], {}, dir);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatchSnapshot();
    expect(r.stderr).toBe('agents.yaml:3:10  warning: openai.model: gpt-realtime shuts down on 2027-01-20 (in 50 days); use gpt-realtime-2.1\n');
    expect(r.stdout).toStartWith('agents.yaml: ok: 1 agents');
  });

  test('--date after the shutdown: one clear error, exit 1', async () => {
    const dir = scratchDir({ 'agents.yaml': config('gpt-realtime', '  transcription: { model: gpt-4o-mini-transcribe }') });
    const r = await runCli(['check', '--date', '2027-01-21'], {}, dir);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatchSnapshot();
    expect(r.stderr.split('\n')[0]).toBe('agents.yaml:3:10  error: openai.model: gpt-realtime shut down on 2027-01-20; use gpt-realtime-2.1');
  });

  test('a GPT-Live model fails check with one line', async () => {
    const dir = scratchDir({ 'agents.yaml': config('gpt-live-1') });
    const r = await runCli(['check'], {}, dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatchSnapshot();
  });

  test('a malformed --date is one line', async () => {
    const r = await runCli(['check', '--config', join(ROOT, 'agents.yaml'), '--date', '2027-13-01']);
    expect(r).toEqual({ code: 1, stdout: '', stderr: 'switchboard: --date must be a day written YYYY-MM-DD, e.g. 2027-03-01 (got "2027-13-01")\n' });
  });
});

test('serve logs the effective model once and warns of a shutdown, and starts', async () => {
  const dir = scratchDir({ 'agents.yaml': config('gpt-realtime-mini') });
  const env = { OPENAI_API_KEY: 'sk-never-shown', HOST: '127.0.0.1' };
  const { code, stdout, stderr } = await runServe(['--insecure', '--port', '0'], env, dir, (out) => out.includes(' listening '));
  expect(code).toBe(0);
  const modelLines = stdout.split('\n').filter((l) => l.includes('realtime model'));
  expect(modelLines).toHaveLength(1);
  expect(modelLines[0]).toEndWith('INFO  realtime model model=gpt-realtime-mini transcription=gpt-transcribe');
  expect(stderr).toMatch(/WARN {2}"?agents\.yaml:3:10 {2}openai\.model: gpt-realtime-mini shuts down on 2027-01-20 \(in \d+ days?\); use gpt-realtime-2\.1-mini/);
});
