// One simulated phone call, as Twilio makes it: signed webhook, TwiML read back, the signed
// media-stream WebSocket, connected/start, 20 ms mu-law frames at real-time pace, marks
// acknowledged as audio "plays", then stop. Used by `simulate` and by the benchmark's load.
import { describeTwiml, Refusal, refusedBecause, type Outcome } from './outcome.ts';
import { Playback } from './playback.ts';
import { openStream, post } from './requests.ts';
import { FRAME_BYTES, readStamp, stampedFrame, wallClock } from './stamp.ts';
import { unescapeXml } from '../twilio/twiml.ts';

export interface CallerOptions {
  /** Where switchboard listens, e.g. http://127.0.0.1:5050 or https://voice.example.com. */
  url: string;
  /** The origin Twilio signs against (PUBLIC_URL); defaults to `url`. */
  publicUrl?: string;
  authToken?: string;
  /** Numbers the call in stamps and reports. */
  index: number;
  /** mu-law to say first; silence (0xff) follows. */
  audio?: Uint8Array;
  /** Send stamped frames and time stamped frames received (benchmark). */
  stamp?: boolean;
  /** Keep the agent's audio (for --out). */
  keepAudio?: boolean;
  /**
   * How long Twilio takes to speak the TwiML's <Say> before it opens the stream; by default
   * estimated from its words. 0 opens the stream at once.
   */
  sayMs?: number;
}

/** Twilio's text-to-speech runs at about 150 words a minute. */
export function estimateSayMs(text: string): number {
  const words = text.split(/\s+/).filter(Boolean).length;
  return words === 0 ? 0 : Math.round(words * 400);
}

export interface CallResult {
  index: number;
  callSid: string;
  startSentAt: number;
  framesSent: number;
  framesReceived: number;
  firstAudioMs?: number;
  clears: number;
  marks: number;
  downlinkMs: number[];
  /** When each timed model frame was sent (stamp), to pick the steady-state ones. */
  downlinkSentAt: number[];
  agentAudio: Uint8Array[];
  /** Who ended the stream, with the close code and reason. */
  end?: { by: 'caller' | 'server'; code: number; reason: string };
  /** What Twilio would do next: the <Connect action> answer, when the server ended the call. */
  after?: string;
  /** What the call came to (outcome.ts), set once it is over. */
  outcome?: Outcome;
  /** That outcome in one line. */
  detail?: string;
  /** Why the call failed (its outcome was not the expected one); unset when it completed. */
  error?: string;
}

/** After `stop`, how long to wait for the socket to close: the caller has hung up either way. */
const CLOSE_WAIT_MS = 5_000;

const hex = (n: number) => Array.from(crypto.getRandomValues(new Uint8Array(n)), (b) => b.toString(16).padStart(2, '0')).join('');

export class SimulatedCall {
  readonly result: CallResult;
  readonly #options: CallerOptions;
  readonly #publicUrl: string;
  #ws: WebSocket | undefined;
  #streamSid = `MZ${hex(16)}`;
  #action: string | undefined;
  #startedAt = 0;
  #seq = 0;
  #playback: Playback | undefined;
  readonly #closed = Promise.withResolvers<void>();

  constructor(options: CallerOptions) {
    this.#options = options;
    this.#publicUrl = (options.publicUrl ?? options.url).replace(/\/+$/, '');
    this.result = {
      index: options.index,
      callSid: `CA${hex(16)}`,
      startSentAt: 0,
      framesSent: 0,
      framesReceived: 0,
      clears: 0,
      marks: 0,
      downlinkMs: [],
      downlinkSentAt: [],
      agentAudio: [],
    };
  }

  get isOpen(): boolean {
    return this.#ws?.readyState === WebSocket.OPEN;
  }

  /** Resolves when the stream socket has closed, whoever closed it. */
  get closed(): Promise<void> {
    return this.#closed.promise;
  }

  #params(): Record<string, string> {
    return { CallSid: this.result.callSid, AccountSid: `AC${hex(16)}`, From: '+15550100000', To: '+15550100001', CallStatus: 'in-progress', Direction: 'inbound', ApiVersion: '2010-04-01' };
  }

  /** Webhook, TwiML, stream, connected + start. Throws with the server's answer if any step fails. */
  async open(): Promise<void> {
    const signed = Boolean(this.#options.authToken);
    const answer = await post(this.#options, `${this.#publicUrl}/incoming-call`, { ...this.#params(), CallStatus: 'ringing' }, 'the webhook');
    const twiml = await answer.text();
    if (!answer.ok) throw new Refusal('refused', refusedBecause('the webhook', answer.status, answer.statusText, signed));
    const streamUrl = /<Stream url="([^"]+)"/.exec(twiml)?.[1];
    if (!streamUrl) {
      // TwiML that speaks and hangs up without a stream is how the server says it is busy.
      if (/<Say[ >]/.test(twiml)) throw new Refusal('busy', `the server is busy: it ${describeTwiml(twiml)}`);
      throw new Refusal('refused', `the webhook answered TwiML without a <Stream>: ${twiml.replace(/\s+/g, ' ').slice(0, 200)}`);
    }
    this.#action = /<Connect action="([^"]+)"/.exec(twiml)?.[1]?.replaceAll('&amp;', '&');
    const parameters: Record<string, string> = {};
    for (const [, name, value] of twiml.matchAll(/<Parameter name="([^"]*)" value="([^"]*)"\/>/g)) parameters[unescapeXml(name!)] = unescapeXml(value!);

    const say = [...twiml.matchAll(/<Say>([^<]*)<\/Say>/g)].map((m) => m[1]!).join(' ');
    await Bun.sleep(this.#options.sayMs ?? estimateSayMs(say));

    const ws = await openStream(this.#options, streamUrl.replaceAll('&amp;', '&'));
    this.#ws = ws;
    this.#playback = new Playback((name) => this.#send({ event: 'mark', streamSid: this.#streamSid, mark: { name } }));
    ws.onmessage = (event) => this.#receive(event.data as string);
    ws.onclose = (event) => {
      this.#playback?.stop();
      this.result.end ??= { by: 'server', code: event.code, reason: event.reason };
      this.#closed.resolve();
    };
    this.#send({ event: 'connected', protocol: 'Call', version: '1.0.0' });
    this.#send({
      event: 'start',
      streamSid: this.#streamSid,
      start: {
        streamSid: this.#streamSid,
        accountSid: 'AC0',
        callSid: this.result.callSid,
        tracks: ['inbound'],
        customParameters: parameters,
        mediaFormat: { encoding: 'audio/x-mulaw', sampleRate: 8000, channels: 1 },
      },
    });
    this.#startedAt = performance.now();
    this.result.startSentAt = wallClock();
  }

  /** Sends every frame due by now (20 ms each since `start`); the caller drives the clock. */
  sendDueFrames(now = performance.now()): void {
    if (!this.isOpen) return;
    const due = Math.floor((now - this.#startedAt) / 20) + 1;
    while (this.#seq < due) this.#sendFrame();
  }

  #sendFrame(): void {
    const seq = this.#seq++;
    const { audio, stamp, index } = this.#options;
    let frame: Uint8Array;
    if (stamp) frame = stampedFrame({ stream: index, seq, sentAt: wallClock() });
    else if (audio && seq * FRAME_BYTES < audio.length) frame = audio.subarray(seq * FRAME_BYTES, (seq + 1) * FRAME_BYTES);
    else frame = new Uint8Array(FRAME_BYTES).fill(0xff);
    this.#send({
      event: 'media',
      streamSid: this.#streamSid,
      media: { track: 'inbound', chunk: String(seq + 1), timestamp: String(seq * 20), payload: Buffer.from(frame).toString('base64') },
    });
    this.result.framesSent++;
  }

  #receive(data: string): void {
    const message = JSON.parse(data) as { event?: string; media?: { payload?: string }; mark?: { name?: string } };
    switch (message.event) {
      case 'media': {
        const bytes = Buffer.from(message.media?.payload ?? '', 'base64');
        this.result.framesReceived++;
        this.result.firstAudioMs ??= performance.now() - this.#startedAt;
        this.#playback?.media(bytes.length);
        if (this.#options.stamp) {
          const stamp = readStamp(bytes);
          if (stamp) {
            this.result.downlinkMs.push(wallClock() - stamp.sentAt);
            this.result.downlinkSentAt.push(stamp.sentAt);
          }
        }
        if (this.#options.keepAudio) this.result.agentAudio.push(bytes);
        break;
      }
      case 'mark':
        this.result.marks++;
        this.#playback?.mark(message.mark?.name ?? '');
        break;
      case 'clear':
        this.result.clears++;
        this.#playback?.clear();
        break;
    }
  }

  #send(message: object): void {
    if (this.isOpen) this.#ws!.send(JSON.stringify(message));
  }

  /** The caller hangs up: `stop`, then the socket closes (as Twilio does). */
  async hangup(): Promise<void> {
    if (this.isOpen) {
      this.result.end = { by: 'caller', code: 1000, reason: 'stop' };
      this.#send({ event: 'stop', streamSid: this.#streamSid, stop: { accountSid: 'AC0', callSid: this.result.callSid } });
      this.#ws!.close(1000);
    }
    await Promise.race([this.closed, Bun.sleep(CLOSE_WAIT_MS)]);
  }

  /** When the server ended the stream, ask the <Connect action> what happens next, as Twilio would. */
  async followAction(): Promise<void> {
    if (this.result.end?.by !== 'server' || !this.#action) return;
    const answer = await post(this.#options, this.#action, this.#params(), 'its <Connect action>');
    const twiml = await answer.text();
    if (!answer.ok) throw new Error(`its <Connect action> answered ${answer.status} ${answer.statusText}`);
    this.result.after = twiml;
  }
}
