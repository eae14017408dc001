// Starts the real server (Bun.serve, real sockets) against a fake Realtime API, with a fake Twilio
// to call it. Every end-to-end test begins here.
import { compileAgents } from '../src/agents/compile.ts';
import { startToolRuntime } from '../src/agents/runtime.ts';
import { upstreamUrl } from '../src/call/upstream-url.ts';
import { parseConfig } from '../src/config/index.ts';
import { Logger, type Format, type Level } from '../src/log/logger.ts';
import { startServer, type ServerTimings, type Switchboard } from '../src/server/server.ts';
import { CallStore } from '../src/store/store.ts';
import { audioPath, type ServerSettings } from '../src/server/settings.ts';
import { startFakeRealtime, type FakeRealtime } from './fakes/realtime-server.ts';
import { FakeTwilio } from './fakes/twilio-caller.ts';

export const AUTH_TOKEN = 'test-auth-token-0123456789abcdef';
export const API_KEY = 'sk-test-never-log-me-0123456789';
export const PUBLIC_URL = 'https://voice.example.com';
export const ADMIN_TOKEN = 'admin-token-keep-out-0123456789abcdef';
/** Never in a log line, whatever the test does (checked when every harness closes). */
export const SECRETS = [AUTH_TOKEN, API_KEY, ADMIN_TOKEN];
export const SHIPPED_YAML = await Bun.file(new URL('../agents.yaml', import.meta.url)).text();

export interface Harness {
  switchboard: Switchboard;
  realtime: FakeRealtime;
  twilio: FakeTwilio;
  /** Every log line the server wrote. */
  logs: string[];
  [Symbol.asyncDispose](): Promise<void>;
}

export interface HarnessOptions {
  yaml?: string;
  /** null: run without signature checks (--insecure). */
  authToken?: string | null;
  realtime?: Parameters<typeof startFakeRealtime>[0];
  /** Shorter server timeouts, so tests never wait for real seconds. */
  timings?: ServerTimings;
  /** Environment for `${NAME}` in the YAML. */
  env?: Record<string, string>;
  /** More strings that must never be logged (e.g. header values from the YAML). */
  secrets?: string[];
  /** A call store URL (sqlite://… or postgres://…): calls are recorded there. */
  store?: string;
  /** Settings beyond the defaults (e.g. Twilio REST credentials for outbound calls). */
  settings?: Partial<ServerSettings>;
  /** The server's log level (default debug: every line a test may look for) and format (default text). */
  logLevel?: Level;
  logFormat?: Format;
}

export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const realtime = await startFakeRealtime(options.realtime);
  const loaded = parseConfig(options.yaml ?? SHIPPED_YAML, 'agents.yaml', options.env ?? {});
  const { config } = loaded;
  const authToken = options.authToken === undefined ? AUTH_TOKEN : options.authToken;
  const settings: ServerSettings = {
    port: 0,
    hostname: '127.0.0.1',
    apiKey: API_KEY,
    upstreamUrl: upstreamUrl(config.openai.model, config.openai.url ?? realtime.url),
    publicUrl: PUBLIC_URL,
    authToken: authToken ?? undefined,
    adminToken: ADMIN_TOKEN,
    insecure: authToken === null,
    // The suite runs on each audio path: AUDIO_PATH=sdk npm test runs it on the SDK's transport.
    audioPath: audioPath(process.env.AUDIO_PATH),
    ...options.settings,
  };
  const logs: string[] = [];
  const log = new Logger(options.logLevel ?? 'debug', {}, (line) => logs.push(line), options.logFormat);
  const store = options.store ? await CallStore.open(options.store, log, { flushEveryMs: 50 }) : undefined;
  // Local MCP servers and the signing secret, as `serve` sets them up.
  const tools = await startToolRuntime(loaded, 'agents.yaml', options.env ?? {}, log);
  const switchboard = startServer({ agentSet: compileAgents(config, tools), settings, log, timings: options.timings, store });
  const twilio = new FakeTwilio({
    serverUrl: switchboard.url.origin,
    publicUrl: PUBLIC_URL,
    authToken: authToken ?? undefined,
  });
  return {
    switchboard,
    realtime,
    twilio,
    logs,
    async [Symbol.asyncDispose]() {
      await switchboard.stop();
      await tools.close();
      await store?.close();
      await realtime.stop();
      const leaked = SECRETS.concat(options.secrets ?? []).filter((secret) => logs.some((line) => line.includes(secret)));
      if (leaked.length > 0) throw new Error(`a secret reached the log (${leaked.length} of them)`);
    },
  };
}

/** Resolves when `check` holds, polling on the event loop; rejects after `timeoutMs`. */
export async function eventually(check: () => boolean, timeoutMs = 3000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await Bun.sleep(5);
  }
}

/**
 * Resolves once the server has taken the call's stream (`start` processed). Sessions are
 * pre-warmed at the webhook, so the upstream can be ready before the stream is: a test that makes
 * the model speak waits for this first, as a real model waits for the caller's audio.
 */
export function callStarted(h: Harness, callSid: string): Promise<void> {
  return eventually(() => h.logs.some((l) => l.includes('call started') && l.includes(callSid)), 3000, `call ${callSid} started`);
}

/**
 * A call the server has taken, with its upstream session configured: the usual starting point
 * for a test that talks as the caller or as the model.
 */
export async function liveCall(h: Harness, options?: Parameters<FakeTwilio['call']>[0]) {
  const call = await h.twilio.call(options);
  const upstream = await h.realtime.nextSession();
  const update = await upstream.waitFor('session.update');
  await callStarted(h, call.callSid);
  return { call, upstream, update };
}

/** n bytes of recognisable mu-law: byte i is (seed + i) mod 256. */
export function pattern(n: number, seed = 0): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(n);
  for (let i = 0; i < n; i++) bytes[i] = (seed + i) & 0xff;
  return bytes;
}
