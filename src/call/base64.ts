// Base64 by Buffer (native) instead of the SDK's byte-by-byte string building: the same bytes,
// at a fraction of the cost. Both audio paths use these on every model frame: the lean path
// (lean-transport.ts) imports them directly, and the SDK path (sdk-transport.ts) installs them in
// the SDK's `utils` object. Kept apart from the SDK transport so the default path loads no SDK patch.

/** Same result as the SDK's helper (an ArrayBuffer of its own; standard base64). */
export function base64ToArrayBuffer(base64: string): ArrayBuffer {
  const bytes = Buffer.from(base64, 'base64');
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}

/** Same result as the SDK's helper; a view encodes only its own bytes. */
export function arrayBufferToBase64(buffer: ArrayBuffer | ArrayBufferView): string {
  return ArrayBuffer.isView(buffer)
    ? Buffer.from(buffer.buffer, buffer.byteOffset, buffer.byteLength).toString('base64')
    : Buffer.from(buffer).toString('base64');
}
