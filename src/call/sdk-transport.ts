// AUDIO_PATH=sdk: the SDK's own Twilio transport, kept for comparison with the lean path
// (lean-transport.ts, the default) and tested with the same end-to-end suite. It is the SDK's
// Twilio transport with the base64 work it lets us reach done by Buffer (native, base64.ts)
// instead of byte-by-byte string building: each caller frame's decode and re-encode, and each
// model frame's encode for Twilio. (The model frame's decode happens in the SDK's WebSocket
// listener with a private helper, out of reach.) Behaviour is unchanged: same bytes, same events.
// It also adds the active agent's own session settings to every session.update (see
// withAgentSettings: audio settings merge key by key, so formats and voice stay).
import { TwilioRealtimeTransportLayer, type TwilioRealtimeTransportLayerOptions } from '@openai/agents-extensions';
import { utils } from '@openai/agents/realtime';
import { withAgentSettings, type SessionConfig } from '../agents/session-settings.ts';
import { arrayBufferToBase64, base64ToArrayBuffer } from './base64.ts';

// The Twilio transport calls these through the SDK's exported `utils` object at each frame, so
// replacing them there reaches it (and nothing else in the process uses them).
utils.base64ToArrayBuffer = base64ToArrayBuffer;
utils.arrayBufferToBase64 = arrayBufferToBase64;

export class BridgeTransport extends TwilioRealtimeTransportLayer {
  readonly #agentSettings: () => SessionConfig | undefined;

  /** `agentSettings`: the settings of the agent the session is being configured for, read at each update. */
  constructor(options: TwilioRealtimeTransportLayerOptions, agentSettings: () => SessionConfig | undefined = () => undefined) {
    super(options);
    this.#agentSettings = agentSettings;
  }

  override updateSessionConfig(config: SessionConfig): void {
    super.updateSessionConfig(withAgentSettings(config, this.#agentSettings()));
  }

  /** The base class encodes with the SDK's module-private helper; this is the same event. */
  override sendAudio(audio: ArrayBuffer, options: { commit?: boolean } = {}): void {
    if (this.status !== 'connected') return;
    this.sendEvent({ type: 'input_audio_buffer.append', audio: arrayBufferToBase64(audio) });
    if (options.commit) this.sendEvent({ type: 'input_audio_buffer.commit' });
  }
}
