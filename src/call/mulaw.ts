// Twilio's audio as the lean path handles it: 8 kHz mu-law, carried as base64 and never decoded.

/** 8 kHz mu-law: one byte per sample. */
export const BYTES_PER_MS = 8;
const SILENCE_BYTE = 0xff;

/** Bytes in standard base64 with padding, without decoding it. */
export function base64ByteLength(base64: string): number {
  const n = base64.length;
  if (n === 0) return 0;
  const padding = base64.charCodeAt(n - 1) === 61 ? (base64.charCodeAt(n - 2) === 61 ? 2 : 1) : 0;
  return (n / 4) * 3 - padding;
}

/** `ms` of mu-law silence as base64. */
export function silence(ms: number): string {
  return Buffer.alloc(ms * BYTES_PER_MS, SILENCE_BYTE).toString('base64');
}
