// Test support: the SDK's own WebSocket transport connected to the fake, and the check that the
// SDK recognises every event the fake sent.
import { expect } from 'bun:test';
import { dirname, join } from 'node:path';
import { OpenAIRealtimeWebSocket } from '@openai/agents/realtime';
import { patternBytes } from '../pattern-bytes.ts';
import type { FakeRealtime } from './server.ts';
import type { FakeRealtimeSession } from './session.ts';

// The SDK's event parser is not exported; load it from the installed package to check that every
// event the fake sends is one the SDK recognises (an unrecognised one degrades to "generic" and is
// silently ignored by the SDK).
const eventsModulePath = join(dirname(Bun.resolveSync('@openai/agents-realtime', import.meta.dir)), 'openaiRealtimeEvents.mjs');
const { parseRealtimeEvent } = (await import(eventsModulePath)) as {
  parseRealtimeEvent: (e: { data: string }) => { data: any; isGeneric: boolean };
};

function expectAllParsedBySdk(session: FakeRealtimeSession): void {
  const generic = session.sent
    .map((event) => ({ event, result: parseRealtimeEvent({ data: JSON.stringify(event) }) }))
    .filter(({ result }) => result.data === null || result.isGeneric)
    .map(({ event }) => JSON.stringify(event));
  expect(generic).toEqual([]);
}

/** The fake sent no error, and nothing the SDK would ignore. */
export function expectCleanExchange(session: FakeRealtimeSession): void {
  expect(session.errorsSent).toEqual([]);
  expectAllParsedBySdk(session);
}

export const PCMU = { type: 'audio/pcmu' } as const;

/** An SDK transport connected to the fake, closed on dispose. */
export async function connectSdk(fake: FakeRealtime, query = '?model=gpt-realtime') {
  const rt = new OpenAIRealtimeWebSocket();
  await rt.connect({
    apiKey: 'sk-test',
    url: fake.url + query,
    initialSessionConfig: { audio: { input: { format: PCMU }, output: { format: PCMU } } },
  });
  const session = await fake.nextSession();
  return {
    rt,
    session,
    async [Symbol.asyncDispose]() {
      rt.close();
    },
  };
}

export function once<T>(subscribe: (listener: (value: T) => void) => void): Promise<T> {
  return new Promise((resolve) => subscribe(resolve));
}

export function bytes(n: number, seed = 0): Uint8Array {
  return patternBytes(n, 31, seed);
}
