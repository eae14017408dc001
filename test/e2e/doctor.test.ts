// `switchboard doctor` against a fake OpenAI REST API: what the models endpoint says, in one line each.
import { describe, expect, test } from 'bun:test';
import { join } from 'node:path';
import { ROOT, runCli, scratchDir } from '../cli.ts';
import { startFakeOpenAIRest, type FakeModel } from '../fakes/openai-rest.ts';
import { startFakeRealtime } from '../fakes/realtime-server.ts';

const KEY = 'sk-doctor-test-key-never-printed';
const yaml = (model: string) => ['openai:', `  model: ${model}`, 'agents:', '  greeter: { instructions: hi }', ''].join('\n');
/** What `serve` needs, so that doctor's lines are about the models. */
const SERVE_ENV = { PUBLIC_URL: 'https://voice.example.com', TWILIO_AUTH_TOKEN: 'token', PORT: '0' };

async function doctor(model: string, models: Record<string, FakeModel>, options: { date?: string; key?: string; env?: Record<string, string> } = {}) {
  await using api = startFakeOpenAIRest({ apiKey: KEY, models });
  await using realtime = await startFakeRealtime({ apiKey: KEY });
  const dir = scratchDir({ 'agents.yaml': yaml(model) });
  const env = { ...SERVE_ENV, OPENAI_API_KEY: options.key ?? KEY, OPENAI_BASE_URL: api.baseUrl, OPENAI_REALTIME_URL: realtime.url, ...options.env };
  const r = await runCli(['doctor', '--date', options.date ?? '2026-12-01'], env, dir);
  expect(r.stderr).toBe('');
  expect(r.stdout).not.toContain(KEY.slice(-4));
  // Stable for snapshots: the fakes' ports and the handshake time vary.
  const stdout = r.stdout.replaceAll(new URL(realtime.url).host, 'REALTIME').replace(/\(\d+ ms\)/, '(N ms)');
  return { ...r, stdout, requests: api.requests };
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

  test('a refused key: the Realtime endpoint and the REST API each say so in one line, without the key', async () => {
    const r = await doctor('gpt-realtime-2.1', { 'gpt-realtime-2.1': {} }, { key: 'sk-wrong-key-wxyz' });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('error the Realtime API refused the API key (401): check OPENAI_API_KEY (it needs Realtime access)\n');
    expect(r.stdout).toContain('error OPENAI_API_KEY was refused (401); create a key at https://platform.openai.com/api-keys and set it\n');
    expect(r.stdout).not.toContain('wxyz');
    expect(r.requests).toHaveLength(1);
  });

  test('an unreachable REST API is one line and does not change the exit code', async () => {
    const closed = startFakeOpenAIRest({ apiKey: KEY, models: {} });
    const baseUrl = closed.baseUrl;
    await closed.stop();
    const r = await doctor('gpt-realtime-2.1', {}, { env: { OPENAI_BASE_URL: baseUrl } });
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n').filter((l) => l.includes('cannot reach'));
    expect(lines).toEqual([`warn  cannot reach the OpenAI API at ${baseUrl} (connection refused); model shutdowns were checked against the built-in table only`]);
  });

  test('an unreachable Realtime endpoint fails doctor: no call would work', async () => {
    const r = await doctor('gpt-realtime-2.1', { 'gpt-realtime-2.1': {}, 'gpt-transcribe': {} }, { env: { OPENAI_REALTIME_URL: 'ws://127.0.0.1:9/v1/realtime' } });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('error cannot reach the Realtime API at 127.0.0.1:9: check DNS, the proxy, or OPENAI_REALTIME_URL\n');
  });

  test('an http PUBLIC_URL is an error; unset ones are warnings', async () => {
    const http = await doctor('gpt-realtime-2.1', { 'gpt-realtime-2.1': {}, 'gpt-transcribe': {} }, { env: { PUBLIC_URL: 'http://voice.example.com' } });
    expect(http.code).toBe(1);
    expect(http.stdout).toContain('error PUBLIC_URL must start with https://: Twilio opens media streams only to wss://');
    const unset = await doctor('gpt-realtime-2.1', { 'gpt-realtime-2.1': {}, 'gpt-transcribe': {} }, { env: { PUBLIC_URL: '', TWILIO_AUTH_TOKEN: '' } });
    expect(unset.code).toBe(0);
    expect(unset.stdout).toContain('warn  PUBLIC_URL is not set: serve needs the https origin Twilio reaches (or --insecure, for local experiments)\n');
    expect(unset.stdout).toContain("warn  TWILIO_AUTH_TOKEN is not set: serve needs it to check Twilio's signatures (or --insecure)\n");
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

test('doctor: a .env copied from .env.example and not filled in is one line per placeholder, and the placeholder key is not sent', async () => {
  const example = await Bun.file(join(ROOT, '.env.example')).text();
  const dir = scratchDir({ 'agents.yaml': yaml('gpt-realtime-2.1'), '.env': example });
  // Were anything asked of OpenAI, these closed ports would add a line saying so.
  const r = await runCli(['doctor', '--date', '2026-12-01'], { PORT: '0', OPENAI_BASE_URL: 'http://127.0.0.1:9/v1', OPENAI_REALTIME_URL: 'ws://127.0.0.1:9/v1/realtime' }, dir);
  expect(r).toEqual({
    code: 1,
    stderr: '',
    stdout: [
      'ok    agents.yaml: 1 agents, model gpt-realtime-2.1',
      'ok    agent greeter (entry): voice default, tools [], mcp []',
      "error .env: PUBLIC_URL is still the placeholder from .env.example; set it to the https origin Twilio reaches (your tunnel's or your server's)",
      'warn  .env: TWILIO_AUTH_TOKEN is still empty, as in .env.example; copy the auth token from Twilio Console › Account › API keys & tokens (or run serve with --insecure, for local experiments)',
      'error .env: OPENAI_API_KEY is still the placeholder from .env.example; put your OpenAI API key there (https://platform.openai.com/api-keys)',
      '2 error(s), 1 warning(s): calls will fail until the errors are fixed.',
      '',
    ].join('\n'),
  });
});
