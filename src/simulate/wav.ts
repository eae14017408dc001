// WAV in, WAV out, through wavefile: any PCM WAV becomes 8 kHz mono mu-law (what Twilio streams),
// and the agent's mu-law becomes a WAV anyone can play.
import { statSync } from 'node:fs';
import { WaveFile } from 'wavefile';

export const ACCEPTED_WAV = 'WAV files: PCM (8, 16, 24 or 32-bit), float (32 or 64-bit), mu-law or A-law, mono or stereo, at any sample rate';

export function wavToMulaw(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  let wav = new WaveFile(bytes);
  // A-law first: wavefile's conversions below would take it for 8-bit PCM.
  if (wav.bitDepth === '8a') wav.fromALaw();
  // Copied, not referenced: wavefile's conversions reset the `fmt` object they replace.
  const fmt = { ...(wav.fmt as { numChannels: number; sampleRate: number }) };
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

/** The file as mu-law, or one line saying why it cannot be (for `--wav`). */
export async function readWavAsMulaw(path: string): Promise<Uint8Array<ArrayBuffer>> {
  const stat = statSync(path, { throwIfNoEntry: false });
  if (!stat) throw new Error(`--wav ${path}: the file does not exist`);
  if (!stat.isFile()) throw new Error(`--wav ${path} is not a file; simulate reads ${ACCEPTED_WAV}`);
  const bytes = new Uint8Array(await Bun.file(path).arrayBuffer());
  let wav: WaveFile;
  try {
    wav = new WaveFile(bytes);
  } catch {
    throw new Error(`--wav ${path} is not a WAV file; simulate reads ${ACCEPTED_WAV}`);
  }
  try {
    return wavToMulaw(bytes);
  } catch {
    const { audioFormat } = wav.fmt as { audioFormat: number };
    throw new Error(`--wav ${path}: a WAV encoding simulate cannot read (format ${audioFormat}, ${wav.bitDepth} bits); it reads ${ACCEPTED_WAV}`);
  }
}

export function mulawToWav(mulaw: Uint8Array): Uint8Array {
  const wav = new WaveFile();
  wav.fromScratch(1, 8000, '8m', mulaw);
  return wav.toBuffer();
}
