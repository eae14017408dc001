// Server settings from the environment and flags, checked once at start-up so that a
// misconfigured appliance refuses to start instead of failing on the first call.
import type { Config } from '../config/index.ts';
import { upstreamUrl } from '../call/upstream-url.ts';

export interface ServerSettings {
  port: number;
  hostname: string;
  apiKey: string;
  /** Full Realtime WebSocket URL for every call. */
  upstreamUrl: string;
  /** The https origin Twilio reaches (no path); every signed URL is built from it. */
  publicUrl?: string;
  authToken?: string;
  /** Bearer token for admin endpoints; unset turns them off. */
  adminToken?: string;
  /** No signature checks: local experiments only. */
  insecure: boolean;
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
    adminToken: env.ADMIN_TOKEN || undefined,
    insecure,
  };
}
