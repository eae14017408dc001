import { expect, test } from 'bun:test';
import { WaveFile } from 'wavefile';
import { mulawToWav, wavToMulaw } from './wav.ts';

function sine(sampleRate: number, channels: number, seconds: number): Uint8Array {
  const n = Math.round(sampleRate * seconds);
  const samples = Array.from({ length: channels }, () => new Int16Array(n));
  for (let i = 0; i < n; i++) for (const ch of samples) ch[i] = Math.round(8000 * Math.sin((2 * Math.PI * 440 * i) / sampleRate));
  const wav = new WaveFile();
  wav.fromScratch(channels, sampleRate, '16', channels === 1 ? samples[0]! : samples);
  return wav.toBuffer();
}

test('16-bit 24 kHz stereo becomes 8 kHz mono mu-law of the same length', () => {
  const mulaw = wavToMulaw(sine(24000, 2, 0.5));
  expect(Math.abs(mulaw.length - 4000)).toBeLessThanOrEqual(2); // 0.5 s at 8000 bytes/s
  // A 440 Hz tone is not silence (mu-law silence is 0xff / 0x7f).
  expect(new Set(mulaw).size).toBeGreaterThan(10);
});

test('mu-law written out reads back byte for byte', () => {
  const mulaw = wavToMulaw(sine(8000, 1, 0.2));
  expect(wavToMulaw(mulawToWav(mulaw))).toEqual(mulaw);
});

/** Mean distance of mu-law from a 16-bit reference, decoded back to 16-bit. */
function meanError(mulaw: Uint8Array, reference: Int16Array): number {
  const wav = new WaveFile();
  wav.fromScratch(1, 8000, '8m', mulaw);
  wav.fromMuLaw();
  const decoded = wav.getSamples(false, Int16Array) as unknown as Int16Array;
  let sum = 0;
  for (let i = 0; i < reference.length; i++) sum += Math.abs((decoded[i] ?? 0) - reference[i]!);
  return sum / reference.length;
}

test('A-law and 8 kHz float WAVs come out as the same tone (not re-read as 8-bit PCM, not resampled)', () => {
  const tone = new Int16Array(8000).map((_, i) => Math.round(6000 * Math.sin((2 * Math.PI * 300 * i) / 8000)));
  const alaw = new WaveFile();
  alaw.fromScratch(1, 8000, '16', tone);
  alaw.toALaw();
  const float = new WaveFile();
  float.fromScratch(1, 8000, '16', tone);
  float.toBitDepth('32f');
  // mu-law alone is ~40 off on this tone; a decoding mistake is hundreds off.
  expect(meanError(wavToMulaw(alaw.toBuffer()), tone)).toBeLessThan(100);
  expect(meanError(wavToMulaw(float.toBuffer()), tone)).toBeLessThan(100);
});
