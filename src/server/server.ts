// Bun.serve: the voice webhook, the media-stream WebSocket, and a status page. Every request is
// checked before any upstream (OpenAI) work starts.
import type { Server, ServerWebSocket } from 'bun';
import pkg from '../../package.json' with { type: 'json' };
import type { AgentSet } from '../agents/compile.ts';
import { Call, type EndReason } from '../call/call.ts';
import { errorMessage, type Logger } from '../log/logger.ts';
import { verifyStreamUpgrade } from '../twilio/signature.ts';
import type { ServerSettings } from './settings.ts';
import { incomingCall, MEDIA_STREAM_PATH } from './webhook.ts';

/** Twilio frames are a few hundred bytes; anything near this is not Twilio. */
export const MAX_FRAME_BYTES = 64 * 1024;

interface StreamData {
  call?: Call;
}

export interface Switchboard {
  readonly server: Server<StreamData>;
  readonly url: URL;
  readonly calls: ReadonlySet<Call>;
  /** Ends every call (their callers hear the fallback) and stops listening. */
  stop(reason?: EndReason): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

export function startServer(agentSet: AgentSet, settings: ServerSettings, log: Logger): Switchboard {
  const calls = new Set<Call>();

  const status = () =>
    Response.json({
      name: pkg.name,
      version: pkg.version,
      agents: [...agentSet.agents.keys()],
      entry: agentSet.entryId,
      activeCalls: calls.size,
    });

  const server = Bun.serve({
    port: settings.port,
    hostname: settings.hostname,
    routes: {
      '/': { GET: status },
      '/healthz': new Response('ok\n'),
      '/incoming-call': {
        GET: (req) => incomingCall(req, agentSet, settings, log),
        POST: (req) => incomingCall(req, agentSet, settings, log),
      },
    },
    fetch(req, server) {
      const url = new URL(req.url);
      if (url.pathname !== MEDIA_STREAM_PATH && url.pathname !== `${MEDIA_STREAM_PATH}/`) {
        return new Response('Not Found\n', { status: 404 });
      }
      if (settings.authToken && settings.publicUrl) {
        const signature = req.headers.get('x-twilio-signature');
        if (!verifyStreamUpgrade(settings.authToken, settings.publicUrl, { url, signature })) {
          log.warn('stream refused: bad signature');
          return new Response('Forbidden\n', { status: 403 });
        }
      }
      if (server.upgrade(req, { data: {} })) return undefined;
      return new Response('Expected a WebSocket upgrade\n', { status: 426 });
    },
    websocket: {
      data: {} as StreamData,
      maxPayloadLength: MAX_FRAME_BYTES,
      perMessageDeflate: false,
      open(ws) {
        const call = new Call(ws as ServerWebSocket<unknown>, {
          agentSet,
          apiKey: settings.apiKey,
          upstreamUrl: settings.upstreamUrl,
          log,
          onEnd: (ended) => calls.delete(ended),
        });
        ws.data.call = call;
        calls.add(call);
      },
      message(ws, message) {
        // A bug in our own handling must cost one call, never the process.
        try {
          ws.data.call?.receive(message);
        } catch (error) {
          log.error('stream handler failed', { callSid: ws.data.call?.callSid, error: errorMessage(error) });
          ws.data.call?.end('stream_closed');
        }
      },
      close(ws, code, reason) {
        ws.data.call?.closed(code, reason);
      },
    },
    error(error) {
      log.error('request failed', { error: errorMessage(error) });
      return new Response('Internal Server Error\n', { status: 500 });
    },
  });

  const stop = async (reason: EndReason = 'shutdown') => {
    for (const call of [...calls]) call.end(reason);
    await server.stop(true);
  };

  return {
    server,
    url: server.url,
    calls,
    stop,
    [Symbol.asyncDispose]: () => stop(),
  };
}
