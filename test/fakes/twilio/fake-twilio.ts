// FakeTwilio: the account side of Twilio. It signs and sends the webhooks, probes the stream
// upgrade, and places calls (webhook, TwiML, then the Media Streams WebSocket: see call.ts).
import { randomBytes } from 'node:crypto';
import { FakeCall } from './call.ts';
import { newAccountSid, newCallSid } from './ids.ts';
import type { PlaybackMode } from './player.ts';
import { twilioSignature, type SignatureParams } from './signature.ts';
import type { ParsedTwiml } from './twiml.ts';
import { rawUpgrade, type UpgradeResult } from './upgrade.ts';
import {
  DEFAULT_FROM,
  DEFAULT_TO,
  incomingCallParams,
  sendTwilioRequest,
  type WebhookOptions,
  type WebhookParams,
  type WebhookResult,
} from './webhook.ts';

export interface CallOptions {
  /** Webhook params (ignored with `twiml`). */
  params?: WebhookParams;
  webhook?: WebhookOptions;
  /** Skip the webhook and use this TwiML. */
  twiml?: ParsedTwiml;
  /** Override upgrade headers (e.g. a wrong `X-Twilio-Signature`). */
  headers?: Record<string, string>;
  /** Sign the upgrade (default: true when an authToken is configured). */
  signUpgrade?: boolean;
  /** Send `connected` and `start` on open (default true). With false, call `sendConnected()` / `sendStart()`. */
  autoStart?: boolean;
  /** Replace `start.customParameters` (default: the TwiML `<Parameter>`s). */
  customParameters?: Record<string, string>;
  /** Replace `start.mediaFormat`. */
  mediaFormat?: { encoding: string; sampleRate: number; channels: number };
  playback?: PlaybackMode;
  autoMarks?: boolean;
}

export interface FakeTwilioOptions {
  /** Where switchboard really listens, e.g. http://127.0.0.1:PORT */
  serverUrl: string;
  /** What switchboard believes its public origin is, e.g. https://voice.example.com */
  publicUrl: string;
  /** Sign webhooks and upgrades with it when given. */
  authToken?: string;
  accountSid?: string;
  /** Defaults for calls (see CallOptions). */
  playback?: PlaybackMode;
  autoMarks?: boolean;
}

export class FakeTwilio {
  readonly serverUrl: string;
  readonly publicUrl: string;
  readonly authToken: string | undefined;
  readonly accountSid: string;
  readonly calls: FakeCall[] = [];
  readonly #defaults: { playback: PlaybackMode; autoMarks: boolean };

  constructor(options: FakeTwilioOptions) {
    this.serverUrl = options.serverUrl.replace(/\/+$/, '');
    this.publicUrl = options.publicUrl.replace(/\/+$/, '');
    this.authToken = options.authToken;
    this.accountSid = options.accountSid ?? newAccountSid();
    this.#defaults = { playback: options.playback ?? 'instant', autoMarks: options.autoMarks ?? true };
  }

  /** Twilio's signature of `url` + params with this account's auth token. */
  signature(url: string, params: SignatureParams = {}): string {
    if (this.authToken === undefined) throw new Error('FakeTwilio: no authToken to sign with');
    return twilioSignature(this.authToken, url, params);
  }

  /** Map a public http(s)/ws(s) URL onto serverUrl (same path and query). */
  toServerUrl(publicUrl: string, protocol: 'http' | 'ws' = 'http'): string {
    const target = new URL(publicUrl);
    const base = new URL(this.serverUrl);
    const scheme = protocol === 'ws' ? (base.protocol === 'https:' ? 'wss:' : 'ws:') : base.protocol;
    return `${scheme}//${base.host}${target.pathname}${target.search}`;
  }

  /** The voice webhook Twilio sends when a call comes in. */
  webhook(params: WebhookParams = {}, opts: WebhookOptions = {}): Promise<WebhookResult> {
    const path = opts.path ?? '/incoming-call';
    return this.request(this.publicUrl + path, incomingCallParams(this.accountSid, params), opts);
  }

  /**
   * A signed Twilio request to a public URL (e.g. a `<Connect action>`), sent to serverUrl.
   * The signature is over `publicUrl` exactly as given.
   */
  request(publicUrl: string, params: Record<string, string>, opts: Omit<WebhookOptions, 'path'> = {}): Promise<WebhookResult> {
    return sendTwilioRequest(this, publicUrl, params, opts);
  }

  /**
   * A bare WebSocket upgrade request (raw HTTP over TCP) to learn the status switchboard answers
   * with, e.g. 403 for a bad signature. A 101 is closed at once.
   */
  upgrade(opts: { streamUrl?: string; headers?: Record<string, string>; sign?: boolean; timeoutMs?: number } = {}): Promise<UpgradeResult> {
    const streamUrl = opts.streamUrl ?? `${this.publicUrl.replace(/^http/, 'ws')}/media-stream`;
    const target = new URL(this.toServerUrl(streamUrl, 'ws'));
    const headers = this.#upgradeHeaders(
      streamUrl,
      {
        Host: target.host,
        Upgrade: 'websocket',
        Connection: 'Upgrade',
        'Sec-WebSocket-Key': randomBytes(16).toString('base64'),
        'Sec-WebSocket-Version': '13',
        'User-Agent': 'Twilio.TmeWs/1.0',
      },
      opts.sign,
      opts.headers,
    );
    return rawUpgrade(target, headers, opts.timeoutMs ?? 5000);
  }

  /** Webhook (unless `twiml` given), then the Media Streams WebSocket, then connected + start. */
  async call(opts: CallOptions = {}): Promise<FakeCall> {
    let twiml = opts.twiml;
    let callSid = opts.params?.CallSid;
    const params = opts.params ?? {};
    if (!twiml) {
      const answer = await this.webhook(params, opts.webhook);
      if (answer.status < 200 || answer.status >= 300 || !answer.twiml) {
        throw new Error(`FakeTwilio: webhook answered ${answer.status}, not TwiML:\n${answer.body}`);
      }
      twiml = answer.twiml;
      callSid = answer.params['CallSid'];
    }
    if (!twiml.streamUrl) throw new Error(`FakeTwilio: the TwiML has no <Connect><Stream url>:\n${twiml.raw}`);
    const call = new FakeCall(this, {
      twiml,
      callSid: callSid ?? newCallSid(),
      from: params.From ?? DEFAULT_FROM,
      to: params.To ?? DEFAULT_TO,
      playback: opts.playback ?? this.#defaults.playback,
      autoMarks: opts.autoMarks ?? this.#defaults.autoMarks,
      customParameters: opts.customParameters ?? twiml.parameters,
      mediaFormat: opts.mediaFormat ?? { encoding: 'audio/x-mulaw', sampleRate: 8000, channels: 1 },
    });
    this.calls.push(call);
    const headers = this.#upgradeHeaders(twiml.streamUrl, { 'User-Agent': 'Twilio.TmeWs/1.0' }, opts.signUpgrade, opts.headers);
    await call.open(headers);
    if (opts.autoStart ?? true) {
      call.sendConnected();
      call.sendStart();
    }
    return call;
  }

  /** Hang up every call still open. */
  async [Symbol.asyncDispose](): Promise<void> {
    await Promise.all(this.calls.map((c) => c[Symbol.asyncDispose]()));
  }

  /** Twilio signs the upgrade over the public stream URL (no params); `extra` overrides any header. */
  #upgradeHeaders(streamUrl: string, headers: Record<string, string>, sign: boolean | undefined, extra: Record<string, string> = {}): Record<string, string> {
    if (sign ?? this.authToken !== undefined) headers['X-Twilio-Signature'] = this.signature(streamUrl);
    return Object.assign(headers, extra);
  }
}
