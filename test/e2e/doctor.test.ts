// `switchboard doctor` against a fake OpenAI REST API: what the models endpoint says, in one line each.
import { describe, expect, test } from 'bun:test';
import { runCli, scratchDir } from '../cli.ts';
import { startFakeOpenAIRest, type FakeModel } from '../fakes/openai-rest.ts';

const KEY = 'sk-doctor-test-key-never-printed';
const yaml = (model: string) => ['openai:', `  model: ${model}`, 'agents:', '  greeter: { instructions: hi }', ''].join('\n');

async function doctor(model: string, models: Record<string, FakeModel>, options: { date?: string; key?: string } = {}) {
  await using api = startFakeOpenAIRest({ apiKey: KEY, models });
  const dir = scratchDir({ 'agents.yaml': yaml(model) });
  const r = await runCli(['doctor', '--date', options.date ?? '2026-12-01'], { OPENAI_API_KEY: options.key ?? KEY, OPENAI_BASE_URL: api.baseUrl }, dir);
  expect(r.stderr).toBe('');
  expect(r.stdout).not.toContain(KEY.slice(-4));
  return { ...r, requests: api.requests };
}

describe('doctor', () => {
  test('a current model the key can use: exit 0, both models asked for with the key', async () => {
    const r = await doctor('gpt-realtime-2.1', { 'gpt-realtime-2.1': {}, 'gpt-transcribe': {} });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatchSnapshot();
    expect(r.requests).toEqual([
      { path: '/v1/models/gpt-realtime-2.1', authorization: `Bearer ${KEY}` },
      { path: '/v1/models/gpt-transcribe', authorization: `Bearer ${KEY}` },
    ]);
  });

  test('404: the model is not available to this key, exit 1', async () => {
    const r = await doctor('gpt-realtime-2.2', { 'gpt-transcribe': {} });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('error openai.model: gpt-realtime-2.2 is not available to this API key (404); check the name, or use gpt-realtime-2.1\n');
    expect(r.stdout).toMatchSnapshot();
  });

  test("a shutdown_date the table does not know is reported with the days left, and is an error once passed", async () => {
    const models = { 'gpt-realtime-2.1': { shutdown_date: '2027-06-30' }, 'gpt-transcribe': {} };
    const before = await doctor('gpt-realtime-2.1', models);
    expect(before.code).toBe(0);
    expect(before.stdout).toContain('warn  openai.model: OpenAI says gpt-realtime-2.1 shuts down on 2027-06-30 (in 211 days); move to a current model');
    const after = await doctor('gpt-realtime-2.1', models, { date: '2027-07-01' });
    expect(after.code).toBe(1);
    expect(after.stdout).toContain('error openai.model: OpenAI says gpt-realtime-2.1 shut down on 2027-06-30; move to a current model');
    expect(after.stdout).toMatchSnapshot();
  });

  test('a retired model is flagged by the table and by the API', async () => {
    const r = await doctor('gpt-realtime', { 'gpt-realtime': { shutdown_date: '2027-01-20' }, 'gpt-transcribe': {} });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatchSnapshot();
  });

  test('a refused key is one error line that does not repeat the key', async () => {
    const r = await doctor('gpt-realtime-2.1', { 'gpt-realtime-2.1': {} }, { key: 'sk-wrong-key-wxyz' });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('error OPENAI_API_KEY was refused (401); create a key at https://platform.openai.com/api-keys and set it\n');
    expect(r.stdout).not.toContain('wxyz');
    expect(r.requests).toHaveLength(1);
  });

  test('an unreachable API is one line and does not change the exit code', async () => {
    const closed = startFakeOpenAIRest({ apiKey: KEY, models: {} });
    const baseUrl = closed.baseUrl;
    await closed.stop();
    const dir = scratchDir({ 'agents.yaml': yaml('gpt-realtime-2.1') });
    const r = await runCli(['doctor', '--date', '2026-12-01'], { OPENAI_API_KEY: KEY, OPENAI_BASE_URL: baseUrl }, dir);
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n').filter((l) => l.includes('cannot reach'));
    expect(lines).toEqual([`warn  cannot reach the OpenAI API at ${baseUrl} (connection refused); model shutdowns were checked against the built-in table only`]);
  });

  test('no API key: one error line, no request', async () => {
    const dir = scratchDir({ 'agents.yaml': yaml('gpt-realtime-2.1') });
    const r = await runCli(['doctor'], {}, dir);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('error OPENAI_API_KEY is not set; export it or put it in .env (or set openai.api_key in the YAML)\n');
  });

  test('config errors are listed and nothing else is asked', async () => {
    const dir = scratchDir({ 'agents.yaml': yaml('gpt-live-1') });
    const r = await runCli(['doctor'], { OPENAI_API_KEY: KEY, OPENAI_BASE_URL: 'http://127.0.0.1:9/v1' }, dir);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatchSnapshot();
  });
});
