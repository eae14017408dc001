// The native base64 helpers against the SDK's own algorithm: both audio paths rely on same bytes.
import { expect, test } from 'bun:test';
import { arrayBufferToBase64, base64ToArrayBuffer } from './base64.ts';

/** The SDK's own algorithm, as the oracle. */
const sdkEncode = (buffer: ArrayBuffer) => btoa(String.fromCharCode(...new Uint8Array(buffer)));
const sdkDecode = (base64: string) => Uint8Array.from(atob(base64), (c) => c.charCodeAt(0)).buffer;

test('native base64 helpers give the SDK’s results', () => {
  for (const length of [0, 1, 2, 3, 159, 160, 161, 4096]) {
    const bytes = Uint8Array.from({ length }, (_, i) => (i * 37 + 11) & 0xff);
    const encoded = arrayBufferToBase64(bytes.buffer);
    expect(encoded).toBe(sdkEncode(bytes.buffer));
    expect(new Uint8Array(base64ToArrayBuffer(encoded))).toEqual(new Uint8Array(sdkDecode(encoded)));
  }
});

test('a decoded buffer is its own, not a view into a shared pool', () => {
  const buffer = base64ToArrayBuffer('//8=');
  expect(buffer.byteLength).toBe(2);
  expect(new Uint8Array(buffer)).toEqual(new Uint8Array([0xff, 0xff]));
});

test('views encode only their own bytes', () => {
  const bytes = Uint8Array.from([1, 2, 3, 4, 5]);
  expect(arrayBufferToBase64(bytes.subarray(1, 3))).toBe(sdkEncode(Uint8Array.from([2, 3]).buffer));
});
