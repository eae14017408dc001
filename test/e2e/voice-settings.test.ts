// The voice settings of agents.yaml as the Realtime API receives them: global ones in the first
// session.update, each agent's own while it has the call (handoffs re-send the session config),
// and the call's mu-law formats and voice kept through every update.
import { expect, test } from 'bun:test';
import { liveCall, pattern, startHarness } from '../harness.ts';

type Upstream = Awaited<ReturnType<typeof liveCall>>['upstream'];

/** The model hands the call on; resolves with the session.update the SDK sent for the new agent. */
async function handOff(upstream: Upstream, to: string) {
  const before = upstream.eventsOf('session.update').length;
  const { callId } = await upstream.callTool(`transfer_to_${to}`, {});
  await upstream.waitFor('conversation.item.create', (e) => e.item?.type === 'function_call_output' && e.item.call_id === callId);
  const updates = upstream.eventsOf('session.update');
  expect(updates.length).toBe(before + 1);
  return updates.at(-1).session;
}

const MULAW = { type: 'audio/pcmu' };

/** What must hold after every update: Twilio's formats both ways and the call's voice. */
function expectPhoneAudio(session: any) {
  expect(session.audio.input.format).toEqual(MULAW);
  expect(session.audio.output.format).toEqual(MULAW);
  expect(session.audio.output.voice).toBe('verse');
}

const GLOBAL = `
openai:
  turn_detection: { type: server_vad, threshold: 0.7, prefix_padding_ms: 200, silence_duration_ms: 900, idle_timeout_ms: 8000, interrupt_response: true, create_response: true }
  noise_reduction: far_field
  transcription: { model: gpt-transcribe, language: en, prompt: "Acme, Zorblax" }
  speed: 0.9
  max_output_tokens: 800
  tool_choice: auto
agents:
  greeter: { instructions: Greet., voice: verse, handoffs: [billing] }
  billing:
    instructions: Bill.
    voice: verse
    handoffs: [support]
    turn_detection: { type: semantic_vad, eagerness: low, interrupt_response: false }
    noise_reduction: near_field
    transcription: { language: es }
    speed: 1.2
    max_output_tokens: inf
    tool_choice: none
  support: { instructions: Help., voice: verse, speed: 1.1 }
`;

const GLOBAL_TURNS = {
  type: 'server_vad',
  threshold: 0.7,
  prefix_padding_ms: 200,
  silence_duration_ms: 900,
  idle_timeout_ms: 8000,
  interrupt_response: true,
  create_response: true,
};

test('global settings reach the first session.update; an agent’s own replace them while it has the call, the rest stay global', async () => {
  await using h = await startHarness({ yaml: GLOBAL });
  const { call, upstream, update } = await liveCall(h);
  const first = update.session;
  expectPhoneAudio(first);
  expect(first.audio.input.turn_detection).toEqual(GLOBAL_TURNS);
  expect(first.audio.input.noise_reduction).toEqual({ type: 'far_field' });
  expect(first.audio.input.transcription).toEqual({ model: 'gpt-transcribe', language: 'en', prompt: 'Acme, Zorblax' });
  expect(first.audio.output.speed).toBe(0.9);
  expect(first.max_output_tokens).toBe(800);
  expect(first.tool_choice).toBe('auto');

  const billing = await handOff(upstream, 'billing');
  expect(billing.instructions).toBe('Bill.');
  expectPhoneAudio(billing);
  expect(billing.audio.input.turn_detection).toEqual({ type: 'semantic_vad', eagerness: 'low', interrupt_response: false });
  expect(billing.audio.input.noise_reduction).toEqual({ type: 'near_field' });
  // Unset keys of an agent's transcription come from openai.transcription.
  expect(billing.audio.input.transcription).toEqual({ model: 'gpt-transcribe', language: 'es', prompt: 'Acme, Zorblax' });
  expect(billing.audio.output.speed).toBe(1.2);
  expect(billing.max_output_tokens).toBe('inf');
  expect(billing.tool_choice).toBe('none');
  // The API's merged state (the fake merges as the real API does).
  expect(upstream.session.audio.input.turn_detection).toEqual({ type: 'semantic_vad', eagerness: 'low', create_response: true, interrupt_response: false });
  expectPhoneAudio(upstream.session);

  const support = await handOff(upstream, 'support');
  expect(support.instructions).toBe('Help.');
  expectPhoneAudio(support);
  expect(support.audio.input.turn_detection).toEqual(GLOBAL_TURNS);
  expect(support.audio.input.noise_reduction).toEqual({ type: 'far_field' });
  expect(support.audio.input.transcription).toEqual({ model: 'gpt-transcribe', language: 'en', prompt: 'Acme, Zorblax' });
  // Its own speed only: every other audio setting is the global one, not the SDK's default.
  expect(support.audio.output.speed).toBe(1.1);
  expect(support.max_output_tokens).toBe(800);
  expect(support.tool_choice).toBe('auto');
  expect(upstream.session.audio.input.turn_detection).toEqual(GLOBAL_TURNS);
  expect(upstream.session.audio.input.noise_reduction).toEqual({ type: 'far_field' });
  expect(upstream.session.audio.input.transcription).toEqual({ model: 'gpt-transcribe', language: 'en', prompt: 'Acme, Zorblax' });
  expect(upstream.session.audio.output.speed).toBe(1.1);
  expect(upstream.errorsSent).toEqual([]);
  await call.hangup();
});

test('with no global value, the next agent gets the default back instead of keeping the previous agent’s', async () => {
  const yaml = `
agents:
  triage:
    instructions: Triage.
    voice: verse
    tools: [hang_up]
    handoffs: [desk]
    turn_detection: { type: server_vad, silence_duration_ms: 1200 }
    noise_reduction: near_field
    speed: 1.3
    max_output_tokens: 300
    tool_choice: required
  desk: { instructions: Desk., voice: verse }
`;
  await using h = await startHarness({ yaml });
  const { call, upstream, update } = await liveCall(h);
  expectPhoneAudio(update.session);
  expect(update.session.audio.input.turn_detection).toEqual({ type: 'server_vad', silence_duration_ms: 1200 });
  expect(update.session.audio.input.transcription).toEqual({ model: 'gpt-transcribe' });
  expect(update.session.max_output_tokens).toBe(300);
  expect(update.session.tool_choice).toBe('required');

  const desk = await handOff(upstream, 'desk');
  expectPhoneAudio(desk);
  // The SDK's own defaults for what it always sends; the API's, said explicitly, for the rest.
  expect(desk.audio.input.turn_detection).toEqual({ type: 'semantic_vad' });
  expect(desk.audio.input.noise_reduction).toBeNull();
  expect(desk.audio.output.speed).toBe(1);
  expect(desk.max_output_tokens).toBe('inf');
  expect(desk.tool_choice).toBe('auto');
  // The SDK revokes the previous agent's tools through providerData too: both get through.
  expect(desk.tools).toEqual([]);
  expect(upstream.session.tools).toEqual([]);
  expect(upstream.session.max_output_tokens).toBe('inf');
  expect(upstream.session.tool_choice).toBe('auto');
  expect(upstream.session.audio.input.noise_reduction).toBeNull();
  await call.hangup();
});

test('without voice settings the session gets the SDK defaults and no output-length or tool-choice keys', async () => {
  await using h = await startHarness({ yaml: 'agents:\n  a: { instructions: hi, voice: verse }\n' });
  const { call, update } = await liveCall(h);
  expectPhoneAudio(update.session);
  expect(update.session.audio.input.turn_detection).toEqual({ type: 'semantic_vad' });
  expect(update.session.audio.input.noise_reduction).toBeNull();
  expect(update.session.audio.input.transcription).toEqual({ model: 'gpt-transcribe' });
  expect(update.session.audio.output.speed).toBe(1);
  expect('max_output_tokens' in update.session).toBe(false);
  expect('tool_choice' in update.session).toBe(false);
  await call.hangup();
});

test('interrupt_response: false does not make the agent talk over the caller: the SDK cancels and clears itself', async () => {
  const yaml = 'openai:\n  turn_detection: { type: server_vad, interrupt_response: false }\nagents:\n  a: { instructions: hi }\n';
  await using h = await startHarness({ yaml });
  const { call, upstream } = await liveCall(h);
  expect(upstream.session.audio.input.turn_detection.interrupt_response).toBe(false);
  await upstream.speak(pattern(1600, 3), { done: false });
  await call.waitForAudioBytes(1600);
  // The API leaves the response running; the SDK stops it and Twilio's playback anyway.
  upstream.speechStarted();
  await upstream.waitFor('response.cancel');
  await call.waitFor((m) => m.event === 'clear');
  await call.hangup();
});

test('tracing is off by default: the SDK tells the API so', async () => {
  await using h = await startHarness({ yaml: 'agents:\n  a: { instructions: hi }\n' });
  const { call, upstream } = await liveCall(h);
  const tracing = await upstream.waitFor('session.update', (e) => 'tracing' in e.session);
  expect(tracing.session.tracing).toBeNull();
  expect(upstream.session.tracing).toBeNull();
  await call.hangup();
});

test('tracing on: the workflow name, and the CallSid as the group id to find the call by', async () => {
  const yaml = 'openai:\n  tracing: { enabled: true, workflow_name: acme-phone }\nagents:\n  a: { instructions: hi }\n';
  await using h = await startHarness({ yaml });
  const { call, upstream } = await liveCall(h);
  const tracing = await upstream.waitFor('session.update', (e) => 'tracing' in e.session);
  expect(tracing.session.tracing).toEqual({ workflow_name: 'acme-phone', group_id: call.callSid });
  expect(upstream.session.tracing).toEqual({ workflow_name: 'acme-phone', group_id: call.callSid });
  await call.hangup();
});
