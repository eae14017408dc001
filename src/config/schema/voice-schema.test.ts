// Voice settings, tracing and the post-call webhook in agents.yaml: what `check` says, at which line.
import { describe, expect, test } from 'bun:test';
import { ConfigErrors, formatError } from '../diagnostics/errors.ts';
import { parseConfig } from '../load.ts';

const TODAY = '2026-12-01';

function errors(source: string, env: Record<string, string> = {}): string[] {
  try {
    parseConfig(source, 'agents.yaml', env, { today: TODAY });
  } catch (error) {
    if (error instanceof ConfigErrors) return error.format().split('\n');
    throw error;
  }
  throw new Error('expected ConfigErrors');
}

const AGENT = 'agents:\n  a: { instructions: hi }\n';

describe('voice settings', () => {
  test('values in range load as written', () => {
    const yaml = `openai:
  turn_detection: { type: server_vad, threshold: 1, prefix_padding_ms: 0, silence_duration_ms: 700, idle_timeout_ms: 5000 }
  noise_reduction: off
  speed: 0.25
  max_output_tokens: 4096
  tool_choice: required
agents:
  a:
    instructions: hi
    turn_detection: { type: semantic_vad, eagerness: high, create_response: false }
    speed: 1.5
    max_output_tokens: inf
    transcription: { language: de }
`;
    const { config, notices } = parseConfig(yaml, 'agents.yaml', {}, { today: TODAY });
    expect(notices).toEqual([]);
    expect(config.openai.turn_detection).toEqual({ type: 'server_vad', threshold: 1, prefix_padding_ms: 0, silence_duration_ms: 700, idle_timeout_ms: 5000 });
    expect(config.openai.noise_reduction).toBe('off');
    expect(config.openai.tracing).toBeUndefined();
    expect(config.agents.a?.transcription).toEqual({ language: 'de' });
    expect(config.agents.a?.max_output_tokens).toBe('inf');
  });

  test('out-of-range values fail with their lines, globally and per agent', () => {
    const yaml = `openai:
  turn_detection: { type: server_vad, threshold: 1.5, idle_timeout_ms: 40000 }
  noise_reduction: near
  speed: 2
  max_output_tokens: 5000
  tool_choice: sometimes
agents:
  a:
    instructions: hi
    turn_detection:
      type: semantic_vad
      eagerness: eager
      silence_duration_ms: -1
    speed: 0.2
    max_output_tokens: 0
    transcription: { language: english, model: "" }
`;
    expect(errors(yaml)).toEqual([
      'agents.yaml:2:50  openai.turn_detection.threshold: must be between 0 and 1',
      'agents.yaml:2:72  openai.turn_detection.idle_timeout_ms: must be between 5000 and 30000',
      'agents.yaml:3:20  openai.noise_reduction: must be one of: near_field, far_field, off',
      'agents.yaml:4:10  openai.speed: must be between 0.25 and 1.5',
      'agents.yaml:5:22  openai.max_output_tokens: must be a whole number from 1 to 4096, or inf',
      'agents.yaml:6:16  openai.tool_choice: must be one of: auto, none, required',
      'agents.yaml:12:18  agents.a.turn_detection.eagerness: must be one of: low, medium, high, auto',
      'agents.yaml:13:28  agents.a.turn_detection.silence_duration_ms: must be 0 or more',
      'agents.yaml:13:28  agents.a.turn_detection.silence_duration_ms: only for type: server_vad; remove it or change the type',
      'agents.yaml:14:12  agents.a.speed: must be between 0.25 and 1.5',
      'agents.yaml:15:24  agents.a.max_output_tokens: must be a whole number from 1 to 4096, or inf',
      'agents.yaml:16:32  agents.a.transcription.language: must be an ISO-639-1 language code like en or es',
      'agents.yaml:16:48  agents.a.transcription.model: must not be empty',
    ]);
  });

  test('a key of the other turn-detection type is named, and a turn detection needs its type', () => {
    const yaml = `openai:
  turn_detection: { type: server_vad, eagerness: low }
agents:
  a:
    instructions: hi
    turn_detection: { silence_duration_ms: 800 }
`;
    expect(errors(yaml)).toEqual([
      'agents.yaml:2:50  openai.turn_detection.eagerness: only for type: semantic_vad; remove it or change the type',
      'agents.yaml:6:5  agents.a.turn_detection.type: must be one of: server_vad, semantic_vad',
    ]);
  });

  test('temperature is refused with the reason, wherever it is written', () => {
    expect(errors(`openai:\n  temperature: 0.8\nagents:\n  a: { instructions: hi, temperature: 0.7 }\n`)).toEqual([
      'agents.yaml:2:16  openai.temperature: the Realtime API takes no temperature: only its beta interface did (0.6 to 1.2), and switchboard speaks the current one; remove it',
      'agents.yaml:4:39  agents.a.temperature: the Realtime API takes no temperature: only its beta interface did (0.6 to 1.2), and switchboard speaks the current one; remove it',
    ]);
  });

  test('tracing is per call, so only under openai:', () => {
    const { config } = parseConfig(`openai:\n  tracing: { enabled: true }\n${AGENT}`, 'agents.yaml', {});
    expect(config.openai.tracing).toEqual({ enabled: true, workflow_name: 'switchboard' });
    const [workflow, agentTracing, ...rest] = errors(`openai:\n  tracing: { enabled: true, workflow_name: "" }\nagents:\n  a: { instructions: hi, tracing: { enabled: true } }\n`);
    expect(workflow).toBe('agents.yaml:2:44  openai.tracing.workflow_name: must not be empty');
    // The allowed keys that follow grow with agents.yaml.
    expect(agentTracing).toStartWith('agents.yaml:4:26  agents.a.tracing: unknown key "tracing"; allowed keys: name, ');
    expect(rest).toEqual([]);
  });

  test("a retired transcription model of an agent warns at the agent's line, like the global one", () => {
    const yaml = `agents:\n  a:\n    instructions: hi\n    transcription: { model: gpt-4o-transcribe }\n`;
    const { notices } = parseConfig(yaml, 'agents.yaml', {}, { today: TODAY });
    expect(notices.map((n) => `${n.severity}: ${formatError(n)}`)).toEqual([
      'warning: agents.yaml:4:29  agents.a.transcription.model: gpt-4o-transcribe shuts down on 2027-02-26 (in 87 days); use gpt-transcribe',
    ]);
  });
});

describe('on_call_end', () => {
  test('defaults, and the secret from the environment', () => {
    const yaml = `${AGENT}on_call_end:\n  url: https://crm.example.com/hooks/calls\n  secret: \${WEBHOOK_SECRET}\n`;
    const { config } = parseConfig(yaml, 'agents.yaml', { WEBHOOK_SECRET: 'whsec-0123456789abcdef' });
    expect(config.on_call_end).toEqual({
      url: 'https://crm.example.com/hooks/calls',
      secret: 'whsec-0123456789abcdef',
      headers: {},
      timeout_ms: 5000,
      retries: 3,
    });
  });

  test('bad values fail with their lines, and a short secret from the environment is never shown', () => {
    const yaml = `${AGENT}on_call_end:
  url: ftp://crm.example.com
  secret: \${WEBHOOK_SECRET}
  headers: { "X Token": abc }
  timeout_ms: 50
  retries: 11
`;
    const lines = errors(yaml, { WEBHOOK_SECRET: 'short-secret' });
    expect(lines).toEqual([
      'agents.yaml:4:8  on_call_end.url: must be an http:// or https:// URL',
      'agents.yaml:5:11  on_call_end.secret: must be at least 16 characters (e.g. openssl rand -hex 32)',
      'agents.yaml:6:14  on_call_end.headers.X Token: is not a valid HTTP header name',
      'agents.yaml:7:15  on_call_end.timeout_ms: must be between 100 and 60000',
      'agents.yaml:8:12  on_call_end.retries: must be between 0 and 10',
    ]);
    expect(lines.join('\n')).not.toContain('short-secret');
  });

  test('url and secret are required', () => {
    expect(errors(`${AGENT}on_call_end: { timeout_ms: 1000 }\n`)).toEqual([
      'agents.yaml:3:1  on_call_end.url: missing required key "url"',
      'agents.yaml:3:1  on_call_end.secret: missing required key "secret"',
    ]);
  });
});
