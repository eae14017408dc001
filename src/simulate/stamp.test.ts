import { expect, test } from 'bun:test';
import { FRAME_BYTES, percentiles, readStamp, stampedFrame } from './stamp.ts';

test('a stamp survives the round trip through a frame, and through base64', () => {
  const stamp = { stream: 7, seq: 123456, sentAt: 1_795_000_000_123.456 };
  const frame = stampedFrame(stamp);
  expect(frame.byteLength).toBe(FRAME_BYTES);
  expect(readStamp(frame)).toEqual(stamp);
  const viaBase64 = new Uint8Array(Buffer.from(Buffer.from(frame).toString('base64'), 'base64'));
  expect(readStamp(viaBase64)).toEqual(stamp);
});

test('frames without a stamp read as null', () => {
  expect(readStamp(new Uint8Array(FRAME_BYTES).fill(0xff))).toBeNull();
  expect(readStamp(new Uint8Array(4))).toBeNull();
});

test('percentiles', () => {
  const values = Array.from({ length: 100 }, (_, i) => i + 1);
  expect(percentiles(values)).toEqual({ p50: 51, p99: 100, max: 100, count: 100 });
  expect(percentiles([])).toEqual({ p50: 0, p99: 0, max: 0, count: 0 });
});
