// Stamped audio frames for measuring a bridge from outside: a 20 ms mu-law frame whose first
// bytes carry who sent it, its sequence number and when. The bridge forwards audio bytes
// untouched, so the far side reads the stamp back and knows the frame's one-way latency and
// whether any frame went missing. Clocks: performance.timeOrigin + performance.now(), which
// processes on one machine share to well under a millisecond.

export const FRAME_BYTES = 160;
const MAGIC = 0x5b; // '[': unlikely as the first byte of real mu-law speech at every frame
const HEADER_BYTES = 1 + 4 + 4 + 8;

export interface Stamp {
  stream: number;
  seq: number;
  /** Wall-clock milliseconds (sub-millisecond precision). */
  sentAt: number;
}

export const wallClock = (): number => performance.timeOrigin + performance.now();

/** A 160-byte frame of mu-law silence (0xff) carrying the stamp. */
export function stampedFrame(stamp: Stamp): Uint8Array {
  const frame = new Uint8Array(FRAME_BYTES).fill(0xff);
  const view = new DataView(frame.buffer);
  view.setUint8(0, MAGIC);
  view.setUint32(1, stamp.stream);
  view.setUint32(5, stamp.seq);
  view.setFloat64(9, stamp.sentAt);
  return frame;
}

/** The stamp of a frame, or null if it carries none. */
export function readStamp(frame: Uint8Array): Stamp | null {
  if (frame.byteLength < HEADER_BYTES || frame[0] !== MAGIC) return null;
  const view = new DataView(frame.buffer, frame.byteOffset, frame.byteLength);
  return { stream: view.getUint32(1), seq: view.getUint32(5), sentAt: view.getFloat64(9) };
}

/** p50/p99/max of a sample, in its own units; zeros for an empty sample. */
export function percentiles(values: number[]): { p50: number; p99: number; max: number; count: number } {
  if (values.length === 0) return { p50: 0, p99: 0, max: 0, count: 0 };
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
  return { p50: at(0.5), p99: at(0.99), max: sorted[sorted.length - 1]!, count: sorted.length };
}
