// Bun.serve: Twilio's webhooks, the media-stream WebSocket, status and admin endpoints. Every
// request is checked before any upstream (OpenAI) work starts. Here are the route table and the
// wiring of the server's parts; what they do is in rooms of their own: where Realtime sessions
// come from (upstreams.ts), what happens when a call ends (call-ended.ts), what / and /readyz say
// (status.ts), and how the server stops (shutdown.ts).
import type { Server } from 'bun';
import type { AgentSet } from '../agents/compile.ts';
import { Call } from '../call/call.ts';
import type { EndReason } from '../call/end-reason.ts';
import { errorMessage, type Logger } from '../log/logger.ts';
import { registerLive, registerStore, registerWebhook } from '../metrics/collect.ts';
import { declaresTool } from '../metrics/labels.ts';
import { Metrics } from '../metrics/metrics.ts';
import { verifyStreamUpgrade } from '../twilio/signature.ts';
import { OperatorConsole } from '../console/console.ts';
import { callCounts } from './admin.ts';
import { admin } from './admin-auth.ts';
import { passOnEndedCall } from './call-ended.ts';
import { listCalls, showCall } from './call-history.ts';
import { Recorder, SYNC_EVERY_MS } from '../store/recorder.ts';
import { CallEndWebhook, type WebhookTimings } from '../notify/call-end-webhook.ts';
import type { CallStore } from '../store/store.ts';
import type { ServerContext } from './context.ts';
import { Endings } from './endings.ts';
import { outboundAnswered, outboundStatus, placeCall } from './outbound.ts';
import { OUTBOUND_PATH, OUTBOUND_STATUS_PATH } from '../outbound/request.ts';
import { Dialler } from '../outbound/dialler.ts';
import { registerOutbound } from '../metrics/outbound.ts';
import { registerAccess } from '../metrics/access.ts';
import { AuthAttempts } from './auth-attempts.ts';
import { Readiness } from './preflight.ts';
import { Prewarm } from './prewarm.ts';
import type { ServerSettings } from './settings.ts';
import { drain, stop, type Running } from './shutdown.ts';
import { ready, status } from './status.ts';
import { StreamTokens } from './stream-tokens.ts';
import { MAX_WEBHOOK_BODY_BYTES } from './twilio-request.ts';
import { Upstreams } from './upstreams.ts';
import { CALL_ENDED_PATH, callEnded, incomingCall, MEDIA_STREAM_PATH, streamBinding } from './webhook.ts';

/** Bun's own hard cap; frames over Call's MAX_FRAME_BYTES are refused with 1008 before this. */
const MAX_WS_PAYLOAD_BYTES = 1024 * 1024;

interface StreamData {
  call?: Call;
}

export interface Switchboard {
  readonly server: Server<StreamData>;
  readonly url: URL;
  readonly calls: ReadonlySet<Call>;
  readonly context: ServerContext;
  /** Ends every call (their callers hear the fallback) and stops listening. */
  stop(reason?: EndReason): Promise<void>;
  /**
   * Graceful shutdown: new calls hear the busy message, calls in progress get up to `graceMs`
   * to finish; then the rest end (through the fallback, which is still served) and it stops.
   */
  drain(graceMs: number): Promise<void>;
  /** Post-call webhook deliveries (`on_call_end`): their running totals. */
  readonly callEndWebhook: CallEndWebhook;
  [Symbol.asyncDispose](): Promise<void>;
}

/** Timings tests shorten; production uses the defaults. */
export interface ServerTimings {
  startTimeoutMs?: number;
  farewellMaxMs?: number;
  /** Retry backoff and clock of the post-call webhook. */
  webhook?: WebhookTimings;
  /** Milliseconds since the epoch for outbound dial-rate windows and ring timeouts (tests turn it). */
  outboundClock?: () => number;
  /** Milliseconds since the epoch for the window of failed admin-token attempts (tests turn it). */
  authClock?: () => number;
}

export interface ServerOptions {
  /** The compiled config; a reload replaces it in the context (see reload.ts). */
  agentSet: AgentSet;
  settings: ServerSettings;
  log: Logger;
  /** Default: production's. */
  timings?: ServerTimings;
  /** Call records, when storage is on. */
  store?: CallStore;
}

export function startServer({ agentSet, settings, log, timings = {}, store }: ServerOptions): Switchboard {
  const readiness = new Readiness();
  // A `tool` label only for names the config now in force declares (a reload changes it).
  const metrics = new Metrics({ declaresTool: (name) => declaresTool(ctx.agentSet, name) });
  const upstreams = new Upstreams({ settings, log, metrics, readiness });
  const ctx: ServerContext = {
    agentSet,
    metrics,
    settings,
    log,
    tokens: new StreamTokens(settings.streamTokenSecret ? { secret: new TextEncoder().encode(settings.streamTokenSecret) } : {}),
    calls: new Set<Call>(),
    endings: new Endings(),
    // Pre-warmed with the config in force when the webhook came.
    prewarm: new Prewarm((agentId, facts) => upstreams.prewarm(ctx.agentSet, agentId, facts), () => ctx.agentSet.config.limits.max_concurrent_calls),
    readiness,
    draining: false,
    lastStreamEndedAt: 0,
    store,
    dialler: new Dialler({ store, log, now: timings.outboundClock }),
    authAttempts: new AuthAttempts(log, timings.authClock),
  };
  // Live calls' records go to the store as they happen, once a second (never per frame).
  const recorder = store ? new Recorder(store, agentSet.config.storage.keep_dtmf) : undefined;
  const syncTimer = recorder ? setInterval(() => ctx.calls.forEach((call) => recorder.sync(call)), SYNC_EVERY_MS) : undefined;
  // The operator's console (/console): the page and its API.
  const operatorConsole = new OperatorConsole(ctx);
  const { calls } = ctx;
  registerLive(metrics, { calls: () => calls, activeCalls: () => callCounts(ctx) });
  if (store) registerStore(metrics, store);
  registerOutbound(metrics, ctx.dialler);
  registerAccess(metrics, ctx.authAttempts);

  const callEndWebhook = new CallEndWebhook(log, timings.webhook);
  registerWebhook(metrics, callEndWebhook);
  const readers = { recorder, webhook: callEndWebhook };

  const server = Bun.serve({
    port: settings.port,
    hostname: settings.hostname,
    maxRequestBodySize: MAX_WEBHOOK_BODY_BYTES,
    // A server, not a dev server: no reload client, no development error pages.
    development: false,
    // Bun shares the port (SO_REUSEPORT) when not in development: a second switchboard (or one
    // restarted while the old one drains) would start, and the kernel would split webhooks and
    // streams between them, refusing the stream tokens the other minted. One process per port.
    reusePort: false,
    routes: {
      ...operatorConsole.routes(),
      '/': { GET: () => status(ctx) },
      // Alive (the process answers); /readyz says whether it should be sent calls.
      '/healthz': { GET: () => new Response('ok\n') },
      // Browsers ask for it on every page (the console's); nothing to show, nothing to log.
      '/favicon.ico': { GET: () => new Response(null, { status: 204 }) },
      '/readyz': { GET: () => ready(ctx) },
      '/metrics': { GET: settings.metricsPublic ? () => metrics.response() : admin(ctx, () => metrics.response()) },
      '/incoming-call': (req) => incomingCall(req, ctx),
      [CALL_ENDED_PATH]: (req) => callEnded(req, ctx),
      '/calls': { GET: admin(ctx, (req) => listCalls(ctx, req)), POST: admin(ctx, (req) => placeCall(req, ctx)) },
      '/calls/:sid': { GET: admin(ctx, (req) => showCall(ctx, decodeURIComponent(new URL(req.url).pathname.slice('/calls/'.length)))) },
      [OUTBOUND_PATH]: (req) => outboundAnswered(req, ctx),
      [OUTBOUND_STATUS_PATH]: (req) => outboundStatus(req, ctx),
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
      maxPayloadLength: MAX_WS_PAYLOAD_BYTES,
      perMessageDeflate: false,
      open(ws) {
        // The config this call keeps, whatever a reload does meanwhile.
        const agentSet = ctx.agentSet;
        const call = new Call(ws, {
          agentSet,
          log,
          // A session pre-warmed before a reload belongs to the old config: the call opens its own.
          upstreamFor: (agentId, facts) => upstreams.adopt(agentSet, ctx.prewarm.take(facts.sid, agentId), agentId, facts),
          authorize: (callSid, params) => {
            const result = ctx.tokens.redeem(callSid, params.token, streamBinding(params.agent, params.call));
            if (result !== 'ok' || !settings.streamTokenSecret || !store || !params.token) return result;
            // Instances share the secret, so any of them takes the stream; the shared store keeps
            // the token single-use across all of them. A database outage never costs a call.
            const expires = Number(params.token.split('.')[0]);
            return store.spendToken(params.token, expires).then((fresh) => (fresh ? 'ok' : 'reused'), () => 'ok' as const);
          },
          onEnd: (call) => passOnEndedCall(ctx, readers, call),
          onToolRun: (run) => metrics.toolRan(run),
          startTimeoutMs: timings.startTimeoutMs,
          farewellMaxMs: timings.farewellMaxMs,
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
        try {
          ws.data.call?.closed(code, reason);
        } catch (error) {
          log.error('stream close handler failed', { callSid: ws.data.call?.callSid, error: errorMessage(error) });
        }
      },
    },
    error(error) {
      // A path parameter that is not valid percent-encoding (decodeURIComponent threw): the
      // request is malformed, whichever route decoded it.
      if (error instanceof URIError) return new Response('Bad Request: malformed percent-encoding in the path\n', { status: 400 });
      log.error('request failed', { error: errorMessage(error) });
      return new Response('Internal Server Error\n', { status: 500 });
    },
  });

  const running: Running = { ctx, server, webhook: callEndWebhook, syncTimer };
  return {
    server,
    url: server.url,
    calls,
    context: ctx,
    stop: (reason) => stop(running, reason),
    drain: (graceMs) => drain(running, graceMs),
    callEndWebhook,
    [Symbol.asyncDispose]: () => stop(running),
  };
}
