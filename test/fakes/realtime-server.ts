// A fake OpenAI Realtime API (GA protocol) on loopback, for driving the real server in tests.
//
// It speaks the server events that @openai/agents-realtime 0.20 parses (openaiRealtimeEvents.mjs)
// in the shapes its zod schemas accept. Two things in the SDK make exact shapes matter:
//  - an event that fails its schema silently degrades to a "generic" event: the SDK then ignores
//    it (no audio, no interruption, no tool call), so a sloppy fake makes tests pass for nothing;
//  - message items are validated with `.parse` (not `safeParse`) inside the socket's message
//    listener, so a malformed message item throws inside the SDK.
// Every scripted event in realtime/ is therefore built to pass those schemas (realtime/session.test.ts
// proves it against a real `OpenAIRealtimeWebSocket`).
//
// The code lives in realtime/: server.ts (Bun.serve, upgrades, connections), session.ts (one
// connection: recording, waits, the calls a test scripts), and the protocol parts it delegates to.
export { concatBytes, isStrictBase64 } from './bytes.ts';
export { bytesPerMs } from './realtime/protocol.ts';
export { startFakeRealtime, type FakeRealtime } from './realtime/server.ts';
export { FakeRealtimeSession } from './realtime/session.ts';
export type {
  CallToolResult,
  FakeRealtimeOptions,
  FakeResponseRecord,
  ResponseCreateHandler,
  SpeakOptions,
  SpeakResult,
} from './realtime/types.ts';
