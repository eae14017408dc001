// The seed's agent, declared in agents.yaml, as the Realtime API sees it: configuration and tools.
import { expect, test } from 'bun:test';
import { API_KEY, liveCall, pattern, startHarness } from '../harness.ts';

test('session.update carries model, voice, mu-law formats, instructions, tools and the hosted MCP server', async () => {
  await using h = await startHarness();
  const { call, upstream, update } = await liveCall(h);

  expect(upstream.headers.authorization).toBe(`Bearer ${API_KEY}`);
  expect(upstream.model).toBe('gpt-realtime-2.1');
  const session = update.session;
  expect(session.model).toBe('gpt-realtime-2.1');
  expect(session.instructions).toBe(
    'You are a friendly assistant. When you use a tool always first say what you are about to do.',
  );
  expect(session.audio.output.voice).toBe('verse');
  expect(session.audio.input.format).toEqual({ type: 'audio/pcmu' });
  expect(session.audio.output.format).toEqual({ type: 'audio/pcmu' });
  // Named, not the SDK's default (gpt-4o-mini-transcribe, which shuts down on 2027-02-26).
  expect(session.audio.input.transcription).toEqual({ model: 'gpt-transcribe' });
  expect(session.reasoning).toBeUndefined();

  const byName = Object.fromEntries(session.tools.map((t: { name?: string; server_label?: string; type: string }) => [t.name ?? t.server_label, t]));
  expect(byName.weather).toMatchObject({
    type: 'function',
    description: 'Get the weather in a given location.',
    parameters: { type: 'object', properties: { location: { type: 'string' } }, required: ['location'] },
  });
  expect(byName.secret).toMatchObject({
    type: 'function',
    description: 'A secret tool to tell the special number.',
    parameters: {
      type: 'object',
      properties: {
        question: { type: 'string', description: 'The question to ask the secret tool; mainly about the special number.' },
      },
      required: ['question'],
    },
  });
  expect(byName.deepwiki).toMatchObject({ type: 'mcp', server_label: 'deepwiki', server_url: 'https://mcp.deepwiki.com/sse' });
  await call.hangup();
});

test('weather answers from its template as a background result: no response.create follows', async () => {
  await using h = await startHarness();
  const { call, upstream } = await liveCall(h);

  const { callId } = await upstream.callTool('weather', { location: 'Oslo' });
  const output = await upstream.waitFor(
    'conversation.item.create',
    (e) => e.item?.type === 'function_call_output' && e.item.call_id === callId,
  );
  expect(output.item.output).toBe('The weather in Oslo is sunny.');
  // Prove the negative against a later event on the same ordered socket, not a sleep: caller audio
  // sent after the tool output was seen must arrive upstream with no response.create before it.
  await call.sendAudio(pattern(160, 1));
  await upstream.waitFor('input_audio_buffer.append');
  expect(upstream.events.some((e) => e.type === 'response.create')).toBe(false);
  await call.hangup();
});

test('secret needs approval: the policy approves, it answers 42, and a response follows', async () => {
  await using h = await startHarness();
  const { call, upstream } = await liveCall(h);

  const { callId } = await upstream.callTool('secret', { question: 'What is the special number?' });
  const output = await upstream.waitFor(
    'conversation.item.create',
    (e) => e.item?.type === 'function_call_output' && e.item.call_id === callId,
  );
  expect(output.item.output).toBe('The answer to What is the special number? is 42.');
  await upstream.waitFor('response.create');
  expect(h.logs.some((l) => l.includes('tool approval') && l.includes('tool=secret') && l.includes('decision=approved') && l.includes(`callSid=${call.callSid}`))).toBe(true);
  await call.hangup();
});

test('approvals: reject refuses the tool and tells the model', async () => {
  const yaml = (await Bun.file(new URL('../../agents.yaml', import.meta.url)).text()).replace('openai:', 'approvals: reject\nopenai:');
  await using h = await startHarness({ yaml });
  const { call, upstream } = await liveCall(h);

  const { callId } = await upstream.callTool('secret', { question: 'q' });
  const output = await upstream.waitFor(
    'conversation.item.create',
    (e) => e.item?.type === 'function_call_output' && e.item.call_id === callId,
  );
  expect(output.item.output).not.toContain('42');
  expect(h.logs.some((l) => l.includes('tool approval') && l.includes('decision=rejected'))).toBe(true);
  await call.hangup();
});

test('the call record (what was said, which tools ran) is logged at debug when the call ends', async () => {
  // What was said reaches the log only at debug (or with logging.content); see privacy.test.ts.
  await using h = await startHarness({ logLevel: 'debug' });
  const { call, upstream } = await liveCall(h);
  await upstream.speak(pattern(320, 1), { transcript: 'Hello, how can I help?' });
  const { callId } = await upstream.callTool('weather', { location: 'Oslo' });
  await upstream.waitFor('conversation.item.create', (e) => e.item?.call_id === callId);
  await call.hangup();
  await upstream.closed;
  const mine = h.logs.filter((l) => l.includes(`callSid=${call.callSid}`));
  expect(mine.some((l) => l.includes('transcript') && l.includes('role=agent agent=greeter text="Hello, how can I help?"'))).toBe(true);
  expect(mine.some((l) => l.includes('tool used') && l.includes('tool=weather') && l.includes('result="The weather in Oslo is sunny."'))).toBe(true);
});
