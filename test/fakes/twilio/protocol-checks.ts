// What real Twilio would reject or ignore: in the TwiML's stream URL, and in each frame switchboard
// sends on the stream. Each finding becomes a FakeCall protocol violation.
import { fromBase64, isStrictBase64 } from '../bytes.ts';

/** Problems of a `<Stream url>` that Twilio would connect to the wrong place or refuse. */
export function streamUrlViolations(streamUrl: string, publicUrl: string): string[] {
  const violations: string[] = [];
  const publicStream = new URL(streamUrl);
  const publicOrigin = new URL(publicUrl);
  if (publicStream.protocol !== 'wss:') violations.push(`stream URL is not wss://: ${streamUrl}`);
  if (publicStream.host !== publicOrigin.host) violations.push(`stream URL host ${publicStream.host} is not the public host ${publicOrigin.host}`);
  if (publicStream.search) violations.push(`stream URL has a query string (use <Parameter>): ${streamUrl}`);
  return violations;
}

const OUTBOUND_EVENTS = new Set(['media', 'mark', 'clear']);

/** One frame from switchboard, read as Twilio would. */
export interface OutboundFrame {
  /** The parsed message, when the frame is a JSON object with an `event`. */
  message?: any;
  violations: string[];
  /** Decoded payload of a valid `media`. */
  media?: Uint8Array;
  /** Name of a valid `mark`. */
  mark?: string;
  clear?: boolean;
}

export function readOutboundFrame(data: unknown, stream: { started: boolean; streamSid: string }): OutboundFrame {
  if (typeof data !== 'string') return { violations: ['binary frame (Twilio expects JSON text frames)'] };
  let message: any;
  try {
    message = JSON.parse(data);
  } catch {
    return { violations: [`non-JSON frame: ${data.slice(0, 80)}`] };
  }
  if (typeof message !== 'object' || message === null || Array.isArray(message) || typeof message.event !== 'string') {
    return { violations: [`message without an event: ${data.slice(0, 80)}`] };
  }
  const frame: OutboundFrame = { message, violations: [] };
  const event: string = message.event;
  if (!OUTBOUND_EVENTS.has(event)) {
    frame.violations.push(`unknown event "${event}"`);
    return frame;
  }
  if (!stream.started) frame.violations.push(`"${event}" sent before the stream started`);
  else if (message.streamSid !== stream.streamSid) {
    frame.violations.push(`"${event}" with streamSid ${JSON.stringify(message.streamSid)}, expected ${stream.streamSid}`);
  }
  switch (event) {
    case 'media': {
      const payload = message.media?.payload;
      if (!isStrictBase64(payload)) frame.violations.push(`media with a payload that is not base64: ${JSON.stringify(payload)?.slice(0, 80)}`);
      else frame.media = fromBase64(payload);
      break;
    }
    case 'mark': {
      const name = message.mark?.name;
      if (typeof name !== 'string') frame.violations.push(`mark without a string name: ${data.slice(0, 80)}`);
      else frame.mark = name;
      break;
    }
    case 'clear':
      frame.clear = true;
      break;
  }
  return frame;
}
