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
