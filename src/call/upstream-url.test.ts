import { expect, test } from 'bun:test';
import { upstreamUrl } from './upstream-url.ts';

test('defaults to OpenAI with the model in the query', () => {
  expect(upstreamUrl('gpt-realtime')).toBe('wss://api.openai.com/v1/realtime?model=gpt-realtime');
});

test('an override keeps its own model or gets ours', () => {
  expect(upstreamUrl('gpt-realtime', 'ws://127.0.0.1:9/v1/realtime')).toBe('ws://127.0.0.1:9/v1/realtime?model=gpt-realtime');
  expect(upstreamUrl('gpt-realtime', 'wss://proxy/rt?model=other')).toBe('wss://proxy/rt?model=other');
});
