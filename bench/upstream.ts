// A lean fake OpenAI Realtime server for load: it shares a core with the load generator, so it
// keeps per-frame work to a prefix check and a 24-character base64 decode, and records only what
// the benchmark reports. (test/fakes/realtime-server.ts records everything and is too heavy for
// hundreds of calls.) Events carry the shapes the SDK's zod schemas accept: an event that fails
// them is silently ignored by the SDK, and the bridge would then carry no model audio at all.
import type { ServerWebSocket } from 'bun';
import { readStamp, stampedFrame, wallClock } from '../src/simulate/stamp.ts';

/**
 * The model "speaks" 1 s every 3 s, starting 1 s after the caller's audio first arrives: like the
 * real API with server VAD, it does not talk before there is a caller to answer.
 */
const FIRST_RESPONSE_AFTER_MS = 1000;
const RESPONSE_EVERY_MS = 3000;
const FRAMES_PER_RESPONSE = 50;
const FRAME_MS = 20;
/** 18 bytes of audio: enough for the stamp's 17-byte header. */
const STAMP_BASE64_CHARS = 24;
/** How the SDK serializes caller audio (JSON.stringify of `{ type, audio }`): 50 a second per call. */
const APPEND_PREFIX = '{"type":"input_audio_buffer.append","audio":"';
const MULAW = { type: 'audio/pcmu' };

export interface UpstreamSession {
  index: number;
  /** Wall-clock ms: the upgrade request arrived (the bridge began connecting). */
  upgradeAt: number;
  /** Wall-clock ms: the first `session.update` arrived (the bridge is ready for audio). */
  readyAt: number | null;
  /** The simulated call whose stamped audio this session carries (null until the first frame). */
  stream: number | null;
  /** Sequence numbers of that call's frames received, for counting lost frames. */
  seqs: Set<number>;
  /** Stamped frames of another call: must stay 0, or calls are crossed. */
  strayFrames: number;
  /** Appends without a stamp: silence the SDK inserts for gaps. */
  unstampedAppends: number;
  /** Model audio frames sent. */
  framesSpoken: number;
}

export interface LeanUpstream {
  /** ws://127.0.0.1:PORT/v1/realtime */
  readonly url: string;
  readonly sessions: UpstreamSession[];
  /** One-way caller-to-upstream latency, ms, of stamped frames sent once their session was ready. */
  readonly uplinkMs: number[];
  /** When each of those frames was sent (wall-clock ms), index for index. */
  readonly uplinkSentAt: number[];
  /** ... of frames sent before it was ready: held by the bridge until then (or dropped). */
  readonly heldUplinkMs: number[];
  stop(): Promise<void>;
}

interface Connection {
  stats: UpstreamSession;
  timer: Timer | undefined;
  seq: number;
  responses: number;
  lastItemId: string | null;
  open: boolean;
  /** The caller has been heard: the model's turns are scheduled. */
  answering: boolean;
}

let eventCounter = 0;
const eventId = () => `event_${++eventCounter}`;

function responseObject(id: string, status: string, output: object[]) {
  return { object: 'realtime.response', id, status, status_details: null, output, audio: { output: { format: MULAW, voice: 'verse' } } };
}

export function startLeanUpstream(options: { connectDelayMs: number }): LeanUpstream {
  const sessions: UpstreamSession[] = [];
  const uplinkMs: number[] = [];
  const uplinkSentAt: number[] = [];
  const heldUplinkMs: number[] = [];
  const connections = new Set<ServerWebSocket<Connection>>();

  const send = (ws: ServerWebSocket<Connection>, type: string, fields: object) => {
    if (ws.data.open) ws.send(JSON.stringify({ type, event_id: eventId(), ...fields }));
  };

  // Decoded into one reused buffer: a fresh Buffer per frame (and its ArrayBuffer, which
  // readStamp's DataView needs) was a third of this process's CPU under load.
  const head = Buffer.alloc((STAMP_BASE64_CHARS / 4) * 3);

  /** `audio` is the append's base64 audio, or at least its first STAMP_BASE64_CHARS. */
  const onAppend = (stats: UpstreamSession, audio: string) => {
    head.fill(0);
    head.write(audio.slice(0, STAMP_BASE64_CHARS), 'base64');
    const stamp = readStamp(head);
    if (!stamp) {
      stats.unstampedAppends += 1;
      return;
    }
    const latency = wallClock() - stamp.sentAt;
    if (stats.readyAt !== null && stamp.sentAt >= stats.readyAt) {
      uplinkMs.push(latency);
      uplinkSentAt.push(stamp.sentAt);
    } else {
      heldUplinkMs.push(latency);
    }
    stats.stream ??= stamp.stream;
    if (stamp.stream === stats.stream) stats.seqs.add(stamp.seq);
    else stats.strayFrames += 1;
  };

  /** One 1 s response: the event sequence the real API sends around paced audio deltas. */
  const speak = (ws: ServerWebSocket<Connection>) => {
    const c = ws.data;
    const responseId = `resp_${c.stats.index}_${c.responses}`;
    const itemId = `item_${c.stats.index}_${c.responses}`;
    c.responses += 1;
    const ids = { response_id: responseId, item_id: itemId, output_index: 0, content_index: 0 };
    const item = { id: itemId, object: 'realtime.item', type: 'message', role: 'assistant' };
    const inProgress = { ...item, status: 'in_progress', content: [] };
    send(ws, 'response.created', { response: responseObject(responseId, 'in_progress', []) });
    send(ws, 'response.output_item.added', { response_id: responseId, output_index: 0, item: inProgress });
    send(ws, 'conversation.item.added', { previous_item_id: c.lastItemId, item: inProgress });
    send(ws, 'response.content_part.added', { ...ids, part: { type: 'audio', transcript: '' } });

    // The delta's JSON around its audio never changes within a response: build it once.
    const prefix = `{"type":"response.output_audio.delta","response_id":"${responseId}","item_id":"${itemId}","output_index":0,"content_index":0,"event_id":"`;
    const started = performance.now();
    let frame = 0;
    const tick = () => {
      if (!c.open) return;
      const bytes = stampedFrame({ stream: c.stats.index, seq: c.seq++, sentAt: wallClock() });
      const audio = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
      ws.send(`${prefix}${eventId()}","delta":"${audio}"}`);
      c.stats.framesSpoken += 1;
      frame += 1;
      if (frame < FRAMES_PER_RESPONSE) {
        c.timer = setTimeout(tick, Math.max(0, started + frame * FRAME_MS - performance.now()));
        return;
      }
      const done = { ...item, status: 'completed', content: [{ type: 'output_audio', transcript: '' }] };
      send(ws, 'response.output_audio.done', ids);
      send(ws, 'response.content_part.done', { ...ids, part: { type: 'audio', transcript: '' } });
      send(ws, 'response.output_item.done', { response_id: responseId, output_index: 0, item: done });
      send(ws, 'conversation.item.done', { previous_item_id: c.lastItemId, item: done });
      send(ws, 'response.done', { response: responseObject(responseId, 'completed', [done]) });
      c.lastItemId = itemId;
      c.timer = setTimeout(() => speak(ws), Math.max(0, started + RESPONSE_EVERY_MS - performance.now()));
    };
    tick();
  };

  const onSessionUpdate = (ws: ServerWebSocket<Connection>, session: unknown) => {
    const c = ws.data;
    send(ws, 'session.updated', { session });
    if (c.stats.readyAt !== null) return;
    c.stats.readyAt = wallClock();
  };

  const answer = (ws: ServerWebSocket<Connection>) => {
    const c = ws.data;
    if (c.answering) return;
    c.answering = true;
    c.timer = setTimeout(() => speak(ws), FIRST_RESPONSE_AFTER_MS);
  };

  const server = Bun.serve<Connection>({
    port: 0,
    hostname: '127.0.0.1',
    async fetch(req, srv) {
      const upgradeAt = wallClock();
      if (new URL(req.url).pathname !== '/v1/realtime') return new Response('Not Found\n', { status: 404 });
      // The handshake latency of the real API (TLS + WebSocket to a distant region).
      await Bun.sleep(options.connectDelayMs);
      const stats: UpstreamSession = {
        index: sessions.length,
        upgradeAt,
        readyAt: null,
        stream: null,
        seqs: new Set(),
        strayFrames: 0,
        unstampedAppends: 0,
        framesSpoken: 0,
      };
      const data: Connection = { stats, timer: undefined, seq: 0, responses: 0, lastItemId: null, open: true, answering: false };
      if (!srv.upgrade(req, { data })) return new Response('Expected a WebSocket upgrade\n', { status: 426 });
      sessions.push(stats);
      return undefined;
    },
    websocket: {
      perMessageDeflate: false,
      open(ws) {
        connections.add(ws);
        send(ws, 'session.created', {
          session: { type: 'realtime', object: 'realtime.session', id: `sess_${ws.data.stats.index}`, model: 'gpt-realtime' },
        });
      },
      message(ws, raw) {
        if (typeof raw !== 'string') return;
        // Caller audio is most of the traffic: read its stamp without parsing the whole event.
        if (raw.startsWith(APPEND_PREFIX)) {
          onAppend(ws.data.stats, raw.slice(APPEND_PREFIX.length, APPEND_PREFIX.length + STAMP_BASE64_CHARS));
          answer(ws);
          return;
        }
        const event = JSON.parse(raw) as { type?: string; audio?: unknown; session?: unknown };
        if (event.type === 'input_audio_buffer.append' && typeof event.audio === 'string') {
          onAppend(ws.data.stats, event.audio);
          answer(ws);
        }
        else if (event.type === 'session.update') onSessionUpdate(ws, event.session);
      },
      close(ws) {
        connections.delete(ws);
        ws.data.open = false;
        clearTimeout(ws.data.timer);
      },
    },
  });

  return {
    url: `ws://127.0.0.1:${server.port}/v1/realtime`,
    sessions,
    uplinkMs,
    uplinkSentAt,
    heldUplinkMs,
    async stop() {
      // No model audio may be scheduled once the server is gone, whatever order Bun closes in.
      for (const ws of connections) {
        ws.data.open = false;
        clearTimeout(ws.data.timer);
      }
      await server.stop(true);
    },
  };
}
