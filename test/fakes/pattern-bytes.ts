// Test data for the fakes' tests: deterministic bytes that differ by position and seed.

/** `n` bytes: byte i is `(i * step + seed) & 0xff`. */
export function patternBytes(n: number, step: number, seed = 0): Uint8Array {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = (i * step + seed) & 0xff;
  return out;
}
