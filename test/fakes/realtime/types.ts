// The fake Realtime server's public options and the records and results it hands to tests.
import type { FakeRealtimeSession } from './session.ts';

export interface FakeRealtimeOptions {
  /** Delay before the upgrade is answered (accepted or refused): simulates handshake latency. */
  connectDelayMs?: number;
  /** Answer every upgrade with this HTTP status (e.g. 401) and a JSON error body, no socket. */
  refuse?: number;
  /** Send `session.created` as soon as a socket opens (default true). */
  autoSessionCreated?: boolean;
  /** If set, an upgrade without `Authorization: Bearer <apiKey>` is refused with 401, like the real API. */
  apiKey?: string;
  /**
   * What to do with a `response.create` when no handler is set (default true): answer with a
   * minimal empty `response.created` + `response.done`. With false it is only recorded, and the
   * test answers it (e.g. `await s.waitFor('response.create'); await s.speak(...)`).
   */
  autoRespond?: boolean;
  /** Called for every `response.create` (instead of the auto response) of every session. */
  onResponseCreate?: ResponseCreateHandler;
  /** Model reported in `session.created` when the URL has no `model=` (default 'gpt-realtime'). */
  defaultModel?: string;
}

export type ResponseCreateHandler = (event: any, session: FakeRealtimeSession) => void | Promise<void>;

export interface SpeakOptions {
  /** Bytes per `response.output_audio.delta` (default 160 = 20 ms of mu-law). */
  chunkBytes?: number;
  /** Sent as one `response.output_audio_transcript.delta` and in the `.done` events. */
  transcript?: string;
  /**
   * Close the response (default true). With false the response stays open (no *.done events):
   * call `speak` again to append audio to the same item, or `finishResponse()`; a barge-in
   * (`speechStarted()` or the client's `response.cancel`) ends it as cancelled.
   */
  done?: boolean;
  /**
   * Pause between deltas: a number of ms, or 'realtime' (the chunk's duration in the session's
   * output format). Default: no pause, all deltas are written at once.
   */
  pace?: number | 'realtime';
}

export interface SpeakResult {
  responseId: string;
  itemId: string;
  /** True when the response was cancelled (client `response.cancel` or barge-in) mid-speech. */
  cancelled: boolean;
}

export interface CallToolResult {
  callId: string;
  responseId: string;
  itemId: string;
}

/** How a hosted MCP call ended: its output, or the error the MCP server gave. */
export type McpCallOutcome = { output: string } | { error: string };

export interface FakeResponseRecord {
  id: string;
  status: 'in_progress' | 'completed' | 'cancelled' | 'incomplete' | 'failed';
  output: any[];
  /** The client's `response.create` this answers, if any. */
  request?: any;
}
