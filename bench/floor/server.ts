// The floor: about the least a Twilio <-> Realtime bridge can do, in Bun, with no SDK and no
// checks (no signature, no frame guard, no marks bookkeeping, no barge-in). Not a product: the
// benchmark's lower bound for this machine, so "switchboard costs N x the floor" says how much is
// left to gain. Per call: one native WebSocket upstream, one session.update, each Twilio frame
// parsed once and its payload forwarded as it came, each model audio delta sent to Twilio as it
// came with a mark behind it.
//   bun bench/floor/server.ts   (reads PORT, HOST, OPENAI_REALTIME_URL, OPENAI_API_KEY)
import type { ServerWebSocket } from 'bun';

const PORT = Number(process.env.PORT || 5050);
const HOST = process.env.HOST || '127.0.0.1';
const API_KEY = process.env.OPENAI_API_KEY ?? '';
const MODEL = 'gpt-realtime-2.1';
const upstreamUrl = new URL(process.env.OPENAI_REALTIME_URL || 'wss://api.openai.com/v1/realtime');
if (!upstreamUrl.searchParams.has('model')) upstreamUrl.searchParams.set('model', MODEL);

// What the baseline's session sends, minus what a bridge does not need: mu-law both ways, the
// agent's instructions and voice, server VAD.
const SESSION_UPDATE = JSON.stringify({
  type: 'session.update',
  session: {
    type: 'realtime',
    model: MODEL,
    output_modalities: ['audio'],
    instructions: 'You are a friendly assistant. When you use a tool always first say what you are about to do.',
    audio: {
      input: { format: { type: 'audio/pcmu' }, turn_detection: { type: 'server_vad' } },
      output: { format: { type: 'audio/pcmu' }, voice: 'verse' },
    },
  },
});
const APPEND = '{"type":"input_audio_buffer.append","audio":"';
const DELTA = 'response.output_audio.delta';
// The same <Say> as the baseline and switchboard: the load waits as long before opening the stream.
const TWIML =
  '<?xml version="1.0" encoding="UTF-8"?><Response><Say>O.K. you can start talking!</Say>' +
  `<Connect><Stream url="ws://${HOST}:${PORT}/media-stream"/></Connect></Response>`;

interface Call {
  upstream: WebSocket | null;
  open: boolean;
  /**
   * Caller payloads that came before the upstream was open: held and sent in order once it is
   * (as switchboard does; dropping them would make the floor lose frames the others keep).
   */
  held: string[];
  mediaPrefix: string;
  markPrefix: string;
  marks: number;
}

interface TwilioFrame {
  event?: string;
  streamSid?: string;
  media?: { payload?: string };
}

function openUpstream(ws: ServerWebSocket<Call>): void {
  const call = ws.data;
  // Bun's WebSocket takes headers as a second-argument option.
  const upstream = new WebSocket(upstreamUrl.toString(), { headers: { Authorization: `Bearer ${API_KEY}` } } as never);
  call.upstream = upstream;
  upstream.onopen = () => {
    call.open = true;
    upstream.send(SESSION_UPDATE);
    for (const payload of call.held) upstream.send(APPEND + payload + '"}');
    call.held = [];
  };
  upstream.onmessage = (event) => {
    const message = JSON.parse(event.data as string) as { type?: string; delta?: string };
    if (message.type !== DELTA || !call.mediaPrefix) return;
    ws.send(call.mediaPrefix + message.delta + '"}}');
    ws.send(call.markPrefix + ++call.marks + '"}}');
  };
  upstream.onclose = () => ws.close();
  upstream.onerror = () => console.error('floor: upstream error');
}

const server = Bun.serve<Call>({
  port: PORT,
  hostname: HOST,
  routes: {
    '/': new Response('floor\n'),
    '/incoming-call': () => new Response(TWIML, { headers: { 'content-type': 'text/xml' } }),
  },
  fetch(req, srv) {
    if (new URL(req.url).pathname !== '/media-stream') return new Response('Not Found\n', { status: 404 });
    const data: Call = { upstream: null, open: false, held: [], mediaPrefix: '', markPrefix: '', marks: 0 };
    return srv.upgrade(req, { data }) ? undefined : new Response('Expected a WebSocket upgrade\n', { status: 426 });
  },
  websocket: {
    perMessageDeflate: false,
    open: openUpstream,
    message(ws, raw) {
      const frame = JSON.parse(raw as string) as TwilioFrame;
      const call = ws.data;
      if (frame.event === 'media') {
        const payload = frame.media?.payload ?? '';
        if (call.open) call.upstream!.send(APPEND + payload + '"}');
        else call.held.push(payload);
      } else if (frame.event === 'start') {
        call.mediaPrefix = `{"event":"media","streamSid":"${frame.streamSid}","media":{"payload":"`;
        call.markPrefix = `{"event":"mark","streamSid":"${frame.streamSid}","mark":{"name":"`;
      } else if (frame.event === 'stop') {
        call.upstream?.close();
      }
    },
    close(ws) {
      ws.data.upstream?.close();
    },
  },
});

console.log(`floor: listening on http://${HOST}:${server.port}`);
