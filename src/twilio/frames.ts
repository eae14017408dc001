// Inbound Media Streams frames: the shapes Twilio sends (see docs/twilio-protocol.md)
// and a guard that lets only well-formed frames reach the SDK transport. Everything from the
// network is hostile until checked; a frame that fails here is counted and dropped.

export interface StartFrame {
  event: 'start';
  streamSid: string;
  start: {
    streamSid: string;
    callSid: string;
    accountSid?: string;
    customParameters?: Record<string, string>;
    mediaFormat?: { encoding: string; sampleRate: number; channels: number };
  };
}
export interface MediaFrame {
  event: 'media';
  media: { payload: string; timestamp?: string; chunk?: string; track?: string };
}
export interface MarkFrame { event: 'mark'; mark: { name: string } }
export interface DtmfFrame { event: 'dtmf'; dtmf: { digit: string } }
export interface StopFrame { event: 'stop' }
export interface ConnectedFrame { event: 'connected' }

export type InboundFrame = StartFrame | MediaFrame | MarkFrame | DtmfFrame | StopFrame | ConnectedFrame;

/** Why a frame was refused; the reasons are counted per call. */
export type FrameRejection = 'binary' | 'not_json' | 'not_an_event' | 'unknown_event' | 'malformed';

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
const DTMF_DIGIT = /^[0-9*#A-D]$/;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isStringRecord(value: unknown): value is Record<string, string> {
  return isRecord(value) && Object.values(value).every((v) => typeof v === 'string');
}

function checkShape(frame: Record<string, unknown>): boolean {
  switch (frame.event) {
    case 'media': {
      const media = frame.media;
      if (!isRecord(media) || typeof media.payload !== 'string') return false;
      return media.payload.length % 4 === 0 && BASE64.test(media.payload);
    }
    case 'start': {
      const start = frame.start;
      return (
        isRecord(start) &&
        typeof start.streamSid === 'string' &&
        typeof start.callSid === 'string' &&
        (start.customParameters === undefined || isStringRecord(start.customParameters))
      );
    }
    case 'mark':
      return isRecord(frame.mark) && typeof frame.mark.name === 'string';
    case 'dtmf':
      return isRecord(frame.dtmf) && typeof frame.dtmf.digit === 'string' && DTMF_DIGIT.test(frame.dtmf.digit);
    case 'stop':
    case 'connected':
      return true;
    default:
      return false;
  }
}

const KNOWN_EVENTS = new Set(['connected', 'start', 'media', 'mark', 'dtmf', 'stop']);

export function parseFrame(data: string | Buffer): InboundFrame | FrameRejection {
  if (typeof data !== 'string') return 'binary';
  let value: unknown;
  try {
    value = JSON.parse(data);
  } catch {
    return 'not_json';
  }
  if (!isRecord(value) || typeof value.event !== 'string') return 'not_an_event';
  if (!KNOWN_EVENTS.has(value.event)) return 'unknown_event';
  return checkShape(value) ? (value as unknown as InboundFrame) : 'malformed';
}
