// Bun.serve: Twilio's webhooks, the media-stream WebSocket, status and admin endpoints. Every
// request is checked before any upstream (OpenAI) work starts.
import type { Server } from 'bun';
import pkg from '../../package.json' with { type: 'json' };
import type { AgentSet } from '../agents/compile.ts';
import type { CallFacts } from '../agents/line.ts';
import { Call } from '../call/call.ts';
import type { EndReason } from '../call/record.ts';
import { Upstream } from '../call/upstream.ts';
import { errorMessage, type Logger } from '../log/logger.ts';
import { registerLive, registerStore, registerWebhook } from '../metrics/collect.ts';
import { declaresTool } from '../metrics/labels.ts';
import { Metrics } from '../metrics/metrics.ts';
import { watchReplies } from '../metrics/session.ts';
import { verifyStreamUpgrade } from '../twilio/signature.ts';
import { OperatorConsole } from '../console/console.ts';
import { callCounts } from './admin.ts';
import { admin } from './admin-auth.ts';
import { listCalls, showCall } from './call-history.ts';
import { Recorder, SYNC_EVERY_MS } from '../store/recorder.ts';
import { CallEndWebhook, type WebhookTimings } from '../notify/call-end-webhook.ts';
import { callSummary } from '../notify/call-summary.ts';
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
import { StreamTokens } from './stream-tokens.ts';
import { MAX_WEBHOOK_BODY_BYTES } from './twilio-request.ts';
import { CALL_ENDED_PATH, callEnded, incomingCall, MEDIA_STREAM_PATH, streamBinding } from './webhook.ts';

/** How long a draining server keeps answering after the last stream ended (its fallback request). */
const FALLBACK_WINDOW_MS = 2000;

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

export function startServer(agentSet: AgentSet, settings: ServerSettings, log: Logger, timings: ServerTimings = {}, store?: CallStore): Switchboard {
  const readiness = new Readiness();
  // A `tool` label only for names the config now in force declares (a reload changes it).
  const metrics = new Metrics({ declaresTool: (name) => declaresTool(ctx.agentSet, name) });
  // Which AgentSet each session was opened with: a call takes a pre-warmed one only if it is its own.
  const setOf = new WeakMap<Upstream, AgentSet>();
  const openUpstream = (agentSet: AgentSet, agentId: string, facts: CallFacts) => {
    const upstream = new Upstream({
      agentSet,
      agentId,
      facts,
      apiKey: settings.apiKey,
      url: settings.upstreamUrl,
      connectTimeoutMs: agentSet.config.limits.connect_timeout_seconds * 1000,
      audioPath: settings.audioPath,
      log: log.child({ callSid: facts.sid }),
    });
    setOf.set(upstream, agentSet);
    watchReplies(metrics, upstream);
    operatorConsole.watch(upstream);
    upstream.ready.then(() => {
      readiness.upstreamOpened();
      metrics.upstreamConnected((upstream.readyAt ?? performance.now()) - upstream.openedAt);
    }, () => {});
    return upstream;
  };
  const prewarmFor = (agentId: string, facts: CallFacts) => {
    const upstream = openUpstream(ctx.agentSet, agentId, facts);
    // Said when it happens, while the caller still hears <Say>; the call ends with its fallback.
    upstream.ready.catch((error: unknown) => upstream.log.warn('pre-warmed session failed', { error: errorMessage(error) }));
    return upstream;
  };
  const ctx: ServerContext = {
    agentSet,
    metrics,
    settings,
    log,
    tokens: new StreamTokens(settings.streamTokenSecret ? { secret: new TextEncoder().encode(settings.streamTokenSecret) } : {}),
    calls: new Set<Call>(),
    endings: new Endings(),
    prewarm: new Prewarm(prewarmFor, () => ctx.agentSet.config.limits.max_concurrent_calls),
    readiness,
    draining: false,
    lastStreamEndedAt: 0,
    store,
    dialler: new Dialler({ store, log, now: timings.outboundClock }),
    authAttempts: new AuthAttempts(log, timings.authClock),
  };
  // Live calls' records go to the store as they happen, once a second (never per frame).
  const recorder = store ? new Recorder(store, agentSet.config.storage.keep_dtmf) : undefined;
  // The operator's console (/console): timings of every session, and the page and its API.
  const operatorConsole = new OperatorConsole(ctx);
  const syncTimer = recorder ? setInterval(() => ctx.calls.forEach((call) => recorder.sync(call)), SYNC_EVERY_MS) : undefined;
  const { calls } = ctx;
  // A session pre-warmed before a reload belongs to the old config: the call opens its own.
  const upstreamFor = (agentSet: AgentSet) => (agentId: string, facts: CallFacts) => {
    const warm = ctx.prewarm.take(facts.sid, agentId);
    if (warm && setOf.get(warm) === agentSet) return warm;
    warm?.close();
    return openUpstream(agentSet, agentId, facts);
  };
  registerLive(metrics, { calls: () => calls, activeCalls: () => callCounts(ctx) });
  if (store) registerStore(metrics, store);
  registerOutbound(metrics, ctx.dialler);
  registerAccess(metrics, ctx.authAttempts);

  const callEndWebhook = new CallEndWebhook(log, timings.webhook);
  registerWebhook(metrics, callEndWebhook);
  const onEnd = (call: Call) => {
    calls.delete(call);
    metrics.callEnded(call);
    recorder?.end(call);
    operatorConsole.callEnded(call);
    const { callSid, endReason, agent, transfer } = call.record;
    if (callSid && endReason) {
      ctx.endings.set(callSid, { reason: endReason, agentId: agent, transfer });
      ctx.lastStreamEndedAt = Date.now();
      // Queued, never awaited: the summary goes out off the call path (the config now in force).
      const onCallEnd = ctx.agentSet.config.on_call_end;
      if (onCallEnd) callEndWebhook.send(onCallEnd, callSummary(call.record, call.upstream?.line.facts, call.agentSet.redact));
    }
  };

  const status = () => {
    const { greeting, connected } = callCounts(ctx);
    return Response.json({
      name: pkg.name,
      version: pkg.version,
      agents: [...ctx.agentSet.agents.keys()],
      entry: ctx.agentSet.entryId,
      activeCalls: greeting + connected,
      greeting,
      connected,
      draining: ctx.draining,
    });
  };
  const ready = () => {
    const problem = ctx.draining
      ? 'draining: not taking new calls'
      : (readiness.problem ?? (store?.down ? 'the call store is unreachable (calls still work; records wait in memory)' : undefined));
    return problem === undefined ? new Response('ready\n') : new Response(`not ready: ${problem}\n`, { status: 503 });
  };

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
      '/': { GET: status },
      // Alive (the process answers); /readyz says whether it should be sent calls.
      '/healthz': { GET: () => new Response('ok\n') },
      // Browsers ask for it on every page (the console's); nothing to show, nothing to log.
      '/favicon.ico': { GET: () => new Response(null, { status: 204 }) },
      '/readyz': { GET: ready },
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
          upstreamFor: upstreamFor(agentSet),
          authorize: (callSid, params) => {
            const result = ctx.tokens.redeem(callSid, params.token, streamBinding(params.agent, params.call));
            if (result !== 'ok' || !settings.streamTokenSecret || !store || !params.token) return result;
            // Instances share the secret, so any of them takes the stream; the shared store keeps
            // the token single-use across all of them. A database outage never costs a call.
            const expires = Number(params.token.split('.')[0]);
            return store.spendToken(params.token, expires).then((fresh) => (fresh ? 'ok' : 'reused'), () => 'ok' as const);
          },
          onEnd,
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

  const stop = async (reason: EndReason = 'shutdown') => {
    clearInterval(syncTimer);
    for (const call of [...calls]) call.end(reason);
    ctx.prewarm.closeAll();
    callEndWebhook.stop();
    await server.stop(true);
  };

  const drain = async (graceMs: number) => {
    ctx.draining = true;
    const deadline = Date.now() + graceMs;
    // Callers still hearing <Say> (a pending stream token) are calls in progress too.
    while ((calls.size > 0 || ctx.tokens.pending > 0) && Date.now() < deadline) await Bun.sleep(100);
    for (const call of [...calls]) call.end('shutdown');
    ctx.prewarm.closeAll();
    // After a stream ends Twilio asks the <Connect action> what to play next: stay up to answer
    // for the streams that just ended. Post-call webhooks still pending get the rest of the grace
    // (at least that window: calls ended just now have summaries too); then they are given up.
    const fallbackUntil = ctx.lastStreamEndedAt + FALLBACK_WINDOW_MS;
    await callEndWebhook.settle(Math.max(deadline, fallbackUntil));
    callEndWebhook.stop();
    const window = fallbackUntil - Date.now();
    if (window > 0) await Bun.sleep(window);
    clearInterval(syncTimer);
    await server.stop(true);
  };

  return { server, url: server.url, calls, context: ctx, stop, drain, callEndWebhook, [Symbol.asyncDispose]: () => stop() };
}
