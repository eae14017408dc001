// Server settings from the environment and flags, checked once at start-up so that a
// misconfigured appliance refuses to start instead of failing on the first call.
import type { Config } from '../config/index.ts';
import type { AudioPath } from '../call/upstream.ts';
import { upstreamUrl } from '../call/upstream-url.ts';
import { trustedProxies } from './client-address.ts';
import { E164 } from '../config/call-control-schema.ts';
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
  /** METRICS_PUBLIC=true: GET /metrics without the admin token (read by `serve`). */
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

export function serverSettings(config: Config, env: Env, flags: { port?: string; insecure?: boolean }): ServerSettings {
  const port = Number(flags.port ?? (env.PORT || 5050));
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new SettingsError(`port must be a whole number from 0 to 65535 (got ${flags.port ?? env.PORT})`);
  }
  const apiKey = config.openai.api_key || env.OPENAI_API_KEY;
  if (!apiKey) {
    throw new SettingsError('OPENAI_API_KEY is not set; export it or put it in .env (or set openai.api_key in the YAML)');
  }
  const insecure = flags.insecure ?? false;
  const authToken = env.TWILIO_AUTH_TOKEN || undefined;
  const publicUrl = env.PUBLIC_URL ? publicOrigin(env.PUBLIC_URL, insecure) : undefined;
  if (!insecure && (!authToken || !publicUrl)) {
    const missing = [!publicUrl && 'PUBLIC_URL', !authToken && 'TWILIO_AUTH_TOKEN'].filter(Boolean).join(' and ');
    throw new SettingsError(
      `${missing} not set: without them anyone who finds this server can spend your OpenAI credit. ` +
        'Set them (see README, Security), or pass --insecure for a local experiment.',
    );
  }
  return {
    port,
    hostname: env.HOST || '0.0.0.0',
    apiKey,
    upstreamUrl: upstreamUrl(config.openai.model, config.openai.url || env.OPENAI_REALTIME_URL),
    publicUrl,
    authToken: insecure ? undefined : authToken,
    adminToken: adminToken(env.ADMIN_TOKEN),
    trustProxy: trustProxy(env.TRUST_PROXY),
    streamTokenSecret: streamTokenSecret(env.STREAM_TOKEN_SECRET),
    insecure,
    twilio: twilioRestSettings(env),
    twilioFrom: twilioFrom(env),
    audioPath: audioPath(env.AUDIO_PATH),
  };
}

export function audioPath(value: string | undefined): AudioPath {
  if (value === undefined || value === '' || value === 'lean') return 'lean';
  if (value === 'sdk') return 'sdk';
  throw new SettingsError(`AUDIO_PATH must be lean (the default) or sdk, the SDK's own Twilio transport (got ${JSON.stringify(value)})`);
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

/**
 * Credentials for Twilio's REST API (outbound calls): TWILIO_ACCOUNT_SID with TWILIO_AUTH_TOKEN,
 * or with an API key (TWILIO_API_KEY + TWILIO_API_SECRET). Undefined without an account SID.
 * Messages name the variables, never their values: one of them may hold a secret by mistake.
 */
export function twilioRestSettings(env: Env): TwilioRest | undefined {
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

/** TWILIO_FROM, when set, must be a number Twilio can call from. */
export function twilioFrom(env: Env): string | undefined {
  const from = env.TWILIO_FROM?.trim();
  if (!from) return undefined;
  if (!E164.test(from)) throw new SettingsError(`TWILIO_FROM must be an E.164 number like +15551234567 (got "${from}")`);
  return from;
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

function streamTokenSecret(value: string | undefined): string | undefined {
  if (!value) return undefined;
  if (value.length < 32) throw new SettingsError('STREAM_TOKEN_SECRET must be at least 32 characters (e.g. `openssl rand -hex 32`)');
  return value;
}
