// The fake's HTTP side: Bun.serve on loopback, the upgrade (refused, delayed or accepted), and the
// bookkeeping of connections and of the sessions handed to tests.
import type { Server } from 'bun';
import { FakeRealtimeSession } from './session.ts';
import type { FakeRealtimeOptions } from './types.ts';

/** @internal What the server keeps per socket. */
export interface ConnData {
  headers: Record<string, string>;
  url: string;
  model: string;
  session?: FakeRealtimeSession;
}

export interface FakeRealtime {
  /** ws://127.0.0.1:PORT/v1/realtime */
  readonly url: string;
  readonly port: number;
  /** Every accepted connection, in order. */
  readonly sessions: FakeRealtimeSession[];
  /** Sockets currently open. */
  readonly openCount: number;
  /** Upgrade requests received, refused ones included. */
  readonly upgradeAttempts: number;
  /** Mutable: refuse further upgrades with this status (undefined = accept). */
  refuse: number | undefined;
  /** Mutable: delay for further upgrades. */
  connectDelayMs: number;
  /** The next accepted session not yet taken by `nextSession` (already accepted or future). */
  nextSession(timeoutMs?: number): Promise<FakeRealtimeSession>;
  stop(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

/** The real API's JSON error body. */
function apiError(status: number, code: string, message: string): Response {
  return Response.json({ error: { type: 'invalid_request_error', code, message, param: null } }, { status });
}

export async function startFakeRealtime(options: FakeRealtimeOptions = {}): Promise<FakeRealtime> {
  const sessions: FakeRealtimeSession[] = [];
  let taken = 0;
  let openCount = 0;
  let upgradeAttempts = 0;
  let stopped = false;
  const sessionWaiters: Array<{ resolve: (s: FakeRealtimeSession) => void; reject: (e: Error) => void; timer: ReturnType<typeof setTimeout> }> = [];
  const state = {
    refuse: options.refuse as number | undefined,
    connectDelayMs: options.connectDelayMs ?? 0,
  };

  const server: Server<ConnData> = Bun.serve<ConnData>({
    port: 0,
    hostname: '127.0.0.1',
    async fetch(req, srv) {
      const url = new URL(req.url);
      if (req.headers.get('upgrade')?.toLowerCase() !== 'websocket') {
        return new Response('Upgrade Required', { status: 426 });
      }
      upgradeAttempts += 1;
      if (state.connectDelayMs > 0) await Bun.sleep(state.connectDelayMs);
      const headers: Record<string, string> = {};
      req.headers.forEach((value, key) => {
        headers[key.toLowerCase()] = value;
      });
      if (state.refuse !== undefined) {
        return apiError(state.refuse, 'fake_refused', `Refused by the fake (HTTP ${state.refuse}).`);
      }
      if (options.apiKey !== undefined && headers['authorization'] !== `Bearer ${options.apiKey}`) {
        return apiError(401, 'invalid_api_key', 'Incorrect API key provided.');
      }
      if (url.pathname !== '/v1/realtime') {
        return Response.json({ error: { type: 'invalid_request_error', message: `Unknown path ${url.pathname}` } }, { status: 404 });
      }
      const data: ConnData = {
        headers,
        url: url.pathname + url.search,
        model: url.searchParams.get('model') ?? options.defaultModel ?? 'gpt-realtime',
      };
      if (srv.upgrade(req, { data })) return undefined;
      return new Response('Upgrade failed', { status: 400 });
    },
    websocket: {
      open(ws) {
        openCount += 1;
        const session = new FakeRealtimeSession(ws, ws.data, {
          autoRespond: options.autoRespond ?? true,
          onResponseCreate: options.onResponseCreate,
        });
        ws.data.session = session;
        sessions.push(session);
        if (options.autoSessionCreated ?? true) session.sendSessionCreated();
        const waiter = sessionWaiters.shift();
        if (waiter) {
          clearTimeout(waiter.timer);
          taken += 1;
          waiter.resolve(session);
        }
      },
      message(ws, message) {
        ws.data.session?.handleMessage(message);
      },
      close(ws, code, reason) {
        openCount -= 1;
        ws.data.session?.handleClose(code, reason);
      },
    },
  });

  const stop = async () => {
    if (stopped) return;
    stopped = true;
    for (const waiter of sessionWaiters.splice(0)) {
      clearTimeout(waiter.timer);
      waiter.reject(new Error('FakeRealtime stopped while waiting for a session'));
    }
    await server.stop(true);
    await Promise.all(sessions.map((s) => (s.isOpen ? Promise.race([s.closed, Bun.sleep(1000)]) : undefined)));
  };

  return {
    url: `ws://127.0.0.1:${server.port}/v1/realtime`,
    port: server.port!,
    sessions,
    get openCount() {
      return openCount;
    },
    get upgradeAttempts() {
      return upgradeAttempts;
    },
    get refuse() {
      return state.refuse;
    },
    set refuse(value: number | undefined) {
      state.refuse = value;
    },
    get connectDelayMs() {
      return state.connectDelayMs;
    },
    set connectDelayMs(value: number) {
      state.connectDelayMs = value;
    },
    nextSession(timeoutMs = 5000) {
      const ready = sessions[taken];
      if (ready) {
        taken += 1;
        return Promise.resolve(ready);
      }
      if (stopped) return Promise.reject(new Error('FakeRealtime is stopped'));
      return new Promise((resolve, reject) => {
        const waiter = {
          resolve,
          reject,
          timer: setTimeout(() => {
            const i = sessionWaiters.indexOf(waiter);
            if (i >= 0) sessionWaiters.splice(i, 1);
            reject(
              new Error(
                `FakeRealtime: no new session within ${timeoutMs}ms (accepted ${sessions.length}, taken ${taken}, upgrade attempts ${upgradeAttempts})`,
              ),
            );
          }, timeoutMs),
        };
        sessionWaiters.push(waiter);
      });
    },
    stop,
    [Symbol.asyncDispose]: stop,
  };
}
