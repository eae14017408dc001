// The environment, read in one place: every variable switchboard knows (PORT, HOST, PUBLIC_URL,
// the Twilio and OpenAI credentials, the tokens, LOG_LEVEL and LOG_FORMAT, …) is read and checked by
// `Environment` below and nowhere else, so this file answers "what does X do, what values does it
// take, what is its default". serve checks them all before listening (serverSettings), so that a
// misconfigured appliance refuses to start instead of failing on the first call; the other commands
// ask for the few they need. Each mistake is one SettingsError naming the variable, never its value
// when it may hold a secret. (The YAML's own ${VAR} references are filled in by config/interpolate.ts.)
import type { Config } from '../config/index.ts';
import type { AudioPath } from '../call/upstream.ts';
import { upstreamUrl } from '../call/upstream-url.ts';
import { levelFromEnv, parseFormat, parseLevel, type Format, type Level } from '../log/logger.ts';
import { trustedProxies } from './client-address.ts';
import { E164 } from '../config/schema/call-control-schema.ts';
import { DEFAULT_TWILIO_API_BASE, type TwilioRest } from '../twilio/rest.ts';

export interface ServerSettings {
  port: number;
  hostname: string;
  apiKey: string;
  /** Full Realtime WebSocket URL for every call. */
  upstreamUrl: string;
  /** The https origin Twilio reaches (no path); every signed URL is built from it. */
  publicUrl?: string;
  authToken?: string;
  /** Bearer token for admin endpoints and the console's login; unset turns them off. */
  adminToken?: string;
  /**
   * TRUST_PROXY: the reverse proxies whose X-Forwarded-For names the client (canonical
   * addresses); from any other peer the header is ignored. Unset: none.
   */
  trustProxy?: ReadonlySet<string>;
  /** Shared by every instance behind one public host, so any of them verifies any stream token. */
  streamTokenSecret?: string;
  /** No signature checks: local experiments only. */
  insecure: boolean;
  /** METRICS_PUBLIC=true: GET /metrics without the admin token. */
  metricsPublic?: boolean;
  /** Twilio's REST API, for outbound calls (POST /calls); unset: outbound calls are off. */
  twilio?: TwilioRest;
  /** TWILIO_FROM: the number outbound calls come from when neither the request nor the YAML names one. */
  twilioFrom?: string;
  /** AUDIO_PATH: `lean` (default) or `sdk`, the SDK's own Twilio transport, for comparison. */
  audioPath?: AudioPath;
}

export class SettingsError extends Error {}

export type Env = Record<string, string | undefined>;

/** serve's PORT when neither PORT nor --port says. */
export const DEFAULT_PORT = 5050;
/** SHUTDOWN_GRACE_SECONDS when unset. */
export const DEFAULT_SHUTDOWN_GRACE_SECONDS = 20;
/** OPENAI_BASE_URL when unset: where doctor asks about models (the openai package reads the same variable). */
export const DEFAULT_OPENAI_BASE_URL = 'https://api.openai.com/v1';

/**
 * What .env.example ships for the variables it sets: a .env copied from it and never filled in still
 * holds these (settings.test.ts keeps them in step with the file).
 */
export const EXAMPLE_PLACEHOLDERS = { OPENAI_API_KEY: 'sk-...', PUBLIC_URL: 'https://voice.example.com', TWILIO_AUTH_TOKEN: '' } as const;
export type PlaceholderName = keyof typeof EXAMPLE_PLACEHOLDERS;

/** The OpenAI key a call uses, and where it was written, for messages about it (never the key itself). */
export interface OpenAIKey {
  key: string;
  name: 'openai.api_key' | 'OPENAI_API_KEY';
}

/**
 * The origin every signed URL is built from. Twilio only opens media streams to wss://, which the
 * TwiML derives from this, so http:// is refused (allowed with --insecure, for local experiments).
 */
export function publicOrigin(value: string, insecure = false): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new SettingsError(`PUBLIC_URL "${value}" is not a URL; set it to the https origin Twilio reaches, e.g. https://voice.example.com`);
  }
  if (url.protocol === 'http:' && !insecure) {
    throw new SettingsError(
      'PUBLIC_URL must start with https://: Twilio opens media streams only to wss://, so every call would fail. ' +
        'Use the https address of your tunnel or TLS proxy (http:// only with --insecure)',
    );
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new SettingsError(`PUBLIC_URL must start with https:// (got ${url.protocol}//)`);
  }
  if ((url.pathname !== '/' && url.pathname !== '') || url.search || url.hash) {
    throw new SettingsError('PUBLIC_URL must be an origin without a path or query, e.g. https://voice.example.com');
  }
  return url.origin;
}

export function audioPath(value: string | undefined): AudioPath {
  if (value === undefined || value === '' || value === 'lean') return 'lean';
  if (value === 'sdk') return 'sdk';
  throw new SettingsError(`AUDIO_PATH must be lean (the default) or sdk, the SDK's own Twilio transport (got ${JSON.stringify(value)})`);
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** TWILIO_API_BASE (tests, proxies): https, or http to this machine only, since it carries the credentials. */
function twilioApiBase(value: string | undefined): string {
  if (!value) return DEFAULT_TWILIO_API_BASE;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new SettingsError(`TWILIO_API_BASE is not a URL; leave it unset for ${DEFAULT_TWILIO_API_BASE}`);
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && LOOPBACK.has(url.hostname))) {
    throw new SettingsError('TWILIO_API_BASE must start with https:// (http:// only to this machine): requests to it carry your Twilio credentials');
  }
  if (url.search || url.hash) throw new SettingsError('TWILIO_API_BASE must not have a query or fragment');
  return (url.origin + url.pathname).replace(/\/+$/, '');
}

/** Shorter tokens could be guessed; 32 hex characters are 128 bits. */
export const MIN_ADMIN_TOKEN_CHARS = 32;

/** ADMIN_TOKEN unlocks callers' numbers, transcripts and outbound calls: a short one is refused. */
export function adminToken(value: string | undefined): string | undefined {
  if (!value) return undefined;
  if (value.length < MIN_ADMIN_TOKEN_CHARS) {
    throw new SettingsError(
      `ADMIN_TOKEN must be at least ${MIN_ADMIN_TOKEN_CHARS} characters (it opens call records and outbound calls); make one with \`openssl rand -hex 32\``,
    );
  }
  return value;
}

/** TRUST_PROXY: the reverse proxies' IP addresses, comma-separated (see client-address.ts). */
export function trustProxy(value: string | undefined): ReadonlySet<string> {
  const trusted = trustedProxies(value);
  if (typeof trusted === 'string') {
    throw new SettingsError(
      `TRUST_PROXY must list your reverse proxy's IP addresses, comma-separated (e.g. 127.0.0.1,::1); "${trusted}" is not an IP address`,
    );
  }
  return trusted;
}

/**
 * The process environment (and .env, which Bun loads into it), read one variable at a time: each
 * method reads its variable, checks it and throws a SettingsError naming it. Nothing is read until
 * asked for, so `simulate` is not stopped by a server-only variable it never uses.
 */
export class Environment {
  readonly #env: Env;

  constructor(env: Env) {
    this.#env = env;
  }

  /** --port when given, else PORT, else DEFAULT_PORT; 0 asks the system for a free port. */
  port(flag?: string): number {
    const value = flag ?? (this.#env.PORT || DEFAULT_PORT);
    const port = Number(value);
    if (!Number.isInteger(port) || port < 0 || port > 65535) {
      throw new SettingsError(`port must be a whole number from 0 to 65535 (got ${flag ?? this.#env.PORT})`);
    }
    return port;
  }

  /** HOST: the address to listen on; all of them unless set. */
  host(): string {
    return this.#env.HOST || '0.0.0.0';
  }

  /** openai.api_key from the YAML, else OPENAI_API_KEY. */
  openaiKey(config: Config): OpenAIKey {
    if (config.openai.api_key) return { key: config.openai.api_key, name: 'openai.api_key' };
    if (this.#env.OPENAI_API_KEY) return { key: this.#env.OPENAI_API_KEY, name: 'OPENAI_API_KEY' };
    // serve stops on this line; doctor reports it.
    throw new SettingsError('OPENAI_API_KEY is not set; export it or put it in .env (or set openai.api_key in the YAML)');
  }

  /** The Realtime WebSocket URL every call opens: openai.url, else OPENAI_REALTIME_URL, else OpenAI's. */
  realtimeUrl(config: Config): string {
    return upstreamUrl(config.openai.model, config.openai.url || this.#env.OPENAI_REALTIME_URL);
  }

  /** OPENAI_BASE_URL: the REST API doctor asks about models. */
  openaiBaseUrl(): string {
    const url = this.#env.OPENAI_BASE_URL || DEFAULT_OPENAI_BASE_URL;
    if (!/^https?:\/\/[^/]/.test(url)) throw new SettingsError('OPENAI_BASE_URL must be an http(s) URL, e.g. https://api.openai.com/v1');
    return url;
  }

  /** PUBLIC_URL as an origin (see publicOrigin); undefined when unset. */
  publicUrl(insecure = false): string | undefined {
    return this.#env.PUBLIC_URL ? publicOrigin(this.#env.PUBLIC_URL, insecure) : undefined;
  }

  /**
   * PUBLIC_URL as `simulate` takes it, unchecked: it signs with whatever the server was given,
   * http:// included (a local server started with --insecure), and says itself what is wrong.
   */
  publicUrlAsWritten(): string | undefined {
    return this.#env.PUBLIC_URL || undefined;
  }

  /** TWILIO_AUTH_TOKEN: what Twilio signs its requests with. */
  twilioAuthToken(): string | undefined {
    return this.#env.TWILIO_AUTH_TOKEN || undefined;
  }

  /**
   * Credentials for Twilio's REST API (outbound calls): TWILIO_ACCOUNT_SID with TWILIO_AUTH_TOKEN,
   * or with an API key (TWILIO_API_KEY + TWILIO_API_SECRET). Undefined without an account SID.
   * Messages name the variables, never their values: one of them may hold a secret by mistake.
   */
  twilioRest(): TwilioRest | undefined {
    const env = this.#env;
    const accountSid = env.TWILIO_ACCOUNT_SID?.trim();
    const apiKey = env.TWILIO_API_KEY?.trim();
    const apiSecret = env.TWILIO_API_SECRET;
    if (!accountSid) {
      if (apiKey) throw new SettingsError('TWILIO_API_KEY is set without TWILIO_ACCOUNT_SID; an API key needs the account SID too (Twilio Console › Account info)');
      return undefined;
    }
    if (!/^AC[0-9a-f]{32}$/i.test(accountSid)) {
      throw new SettingsError('TWILIO_ACCOUNT_SID must be an account SID: AC and 32 hex digits (Twilio Console › Account info)');
    }
    let username = accountSid;
    let password = env.TWILIO_AUTH_TOKEN;
    if (apiKey || apiSecret) {
      if (!apiKey || !apiSecret) throw new SettingsError('TWILIO_API_KEY and TWILIO_API_SECRET go together: set both, or neither to use TWILIO_AUTH_TOKEN');
      if (!/^SK[0-9a-f]{32}$/i.test(apiKey)) {
        throw new SettingsError('TWILIO_API_KEY must be an API key SID: SK and 32 hex digits (its secret goes in TWILIO_API_SECRET)');
      }
      username = apiKey;
      password = apiSecret;
    }
    if (!password) {
      throw new SettingsError('TWILIO_ACCOUNT_SID is set without TWILIO_AUTH_TOKEN or TWILIO_API_KEY and TWILIO_API_SECRET; outbound calls need one of them');
    }
    return { apiBase: twilioApiBase(env.TWILIO_API_BASE), accountSid, username, password };
  }

  /** TWILIO_FROM, when set, must be a number Twilio can call from. */
  twilioFrom(): string | undefined {
    const from = this.#env.TWILIO_FROM?.trim();
    if (!from) return undefined;
    if (!E164.test(from)) throw new SettingsError(`TWILIO_FROM must be an E.164 number like +15551234567 (got "${from}")`);
    return from;
  }

  /** ADMIN_TOKEN (see adminToken). */
  adminToken(): string | undefined {
    return adminToken(this.#env.ADMIN_TOKEN);
  }

  /** TRUST_PROXY (see trustProxy). */
  trustProxy(): ReadonlySet<string> {
    return trustProxy(this.#env.TRUST_PROXY);
  }

  /** STREAM_TOKEN_SECRET: shared by every instance behind one public host, so any of them verifies any stream token. */
  streamTokenSecret(): string | undefined {
    const value = this.#env.STREAM_TOKEN_SECRET;
    if (!value) return undefined;
    if (value.length < 32) throw new SettingsError('STREAM_TOKEN_SECRET must be at least 32 characters (e.g. `openssl rand -hex 32`)');
    return value;
  }

  /** AUDIO_PATH (see audioPath). */
  audioPath(): AudioPath {
    return audioPath(this.#env.AUDIO_PATH);
  }

  /** TOOL_SIGNING_SECRET: the key of the signature on http tool requests with `sign: true`. */
  toolSigningSecret(): string | undefined {
    return this.#env.TOOL_SIGNING_SECRET || undefined;
  }

  /** METRICS_PUBLIC: `true` opens GET /metrics without the admin token. */
  metricsPublic(): boolean {
    const value = this.#env.METRICS_PUBLIC;
    const v = value?.trim().toLowerCase();
    if (!v || v === 'false') return false;
    if (v === 'true') return true;
    throw new SettingsError(`METRICS_PUBLIC must be true or false (got "${value}")`);
  }

  /** SHUTDOWN_GRACE_SECONDS: on SIGTERM/SIGINT, how long the calls in progress may finish. */
  shutdownGraceSeconds(): number {
    const value = this.#env.SHUTDOWN_GRACE_SECONDS;
    const seconds = Number(value || DEFAULT_SHUTDOWN_GRACE_SECONDS);
    if (!Number.isFinite(seconds) || seconds < 0) throw new SettingsError(`SHUTDOWN_GRACE_SECONDS must be a number of seconds (got ${value})`);
    return seconds;
  }

  /** LOG_LEVEL and LOG_FORMAT as serve's logger takes them; a value neither knows stops serve. */
  logging(stdoutIsTerminal: boolean): { level: Level; format: Format } {
    try {
      return { level: parseLevel(this.#env.LOG_LEVEL), format: parseFormat(this.#env.LOG_FORMAT, stdoutIsTerminal) };
    } catch (error) {
      throw new SettingsError((error as Error).message);
    }
  }

  /**
   * The variables still holding .env.example's placeholder: set so in the .env file (`dotEnv`, its
   * NAME=VALUE pairs) and not overridden by the process's own environment (which Bun lets win).
   */
  placeholders(dotEnv: ReadonlyMap<string, string>): PlaceholderName[] {
    const names = Object.keys(EXAMPLE_PLACEHOLDERS) as PlaceholderName[];
    return names.filter((name) => dotEnv.get(name) === EXAMPLE_PLACEHOLDERS[name] && (this.#env[name] ?? '') === EXAMPLE_PLACEHOLDERS[name]);
  }

  /** LOG_LEVEL=debug, read leniently: the CLI's one-line errors then carry their stack. */
  debugging(): boolean {
    return levelFromEnv(this.#env.LOG_LEVEL) === 'debug';
  }
}

/** Everything serve needs from the environment and its flags, checked in one go before it listens. */
export function serverSettings(config: Config, env: Env, flags: { port?: string; insecure?: boolean }): ServerSettings {
  const environment = new Environment(env);
  const port = environment.port(flags.port);
  const { key: apiKey } = environment.openaiKey(config);
  const insecure = flags.insecure ?? false;
  const authToken = environment.twilioAuthToken();
  const publicUrl = environment.publicUrl(insecure);
  if (!insecure && (!authToken || !publicUrl)) {
    const missing = [!publicUrl && 'PUBLIC_URL', !authToken && 'TWILIO_AUTH_TOKEN'].filter(Boolean).join(' and ');
    throw new SettingsError(
      `${missing} not set: without them anyone who finds this server can spend your OpenAI credit. ` +
        'Set them (see docs/security.md), or pass --insecure for a local experiment.',
    );
  }
  return {
    port,
    hostname: environment.host(),
    apiKey,
    upstreamUrl: environment.realtimeUrl(config),
    publicUrl,
    authToken: insecure ? undefined : authToken,
    adminToken: environment.adminToken(),
    trustProxy: environment.trustProxy(),
    streamTokenSecret: environment.streamTokenSecret(),
    insecure,
    twilio: environment.twilioRest(),
    twilioFrom: environment.twilioFrom(),
    audioPath: environment.audioPath(),
    metricsPublic: environment.metricsPublic(),
  };
}
