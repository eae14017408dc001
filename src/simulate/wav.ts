// WAV in, WAV out, through wavefile: any PCM WAV becomes 8 kHz mono mu-law (what Twilio streams),
// and the agent's mu-law becomes a WAV anyone can play.
import { WaveFile } from 'wavefile';

export function wavToMulaw(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  let wav = new WaveFile(bytes);
  const fmt = wav.fmt as { numChannels: number; sampleRate: number; audioFormat: number };
  if (fmt.numChannels > 1) {
    // Phones are mono: keep the first channel.
    const channels = wav.getSamples(false) as unknown as Float64Array[];
    const mono = new WaveFile();
    mono.fromScratch(1, fmt.sampleRate, wav.bitDepth, channels[0]!);
    wav = mono;
  }
  if (wav.bitDepth === '8m' && fmt.sampleRate === 8000) {
    // Already what Twilio streams: decoding and re-encoding would not be the identity.
    return new Uint8Array((wav.data as { samples: Uint8Array }).samples);
  }
  if (wav.bitDepth === '8m') wav.fromMuLaw();
  if (wav.bitDepth !== '16') wav.toBitDepth('16');
  if (fmt.sampleRate !== 8000) wav.toSampleRate(8000);
  wav.toMuLaw();
  return new Uint8Array((wav.data as { samples: Uint8Array }).samples);
}

export function mulawToWav(mulaw: Uint8Array): Uint8Array {
  const wav = new WaveFile();
  wav.fromScratch(1, 8000, '8m', mulaw);
  return wav.toBuffer();
}
