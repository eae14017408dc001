// Realtime and transcription models whose shutdown OpenAI has announced, with the model to move
// to. Source: OpenAI's deprecations page (https://developers.openai.com/api/docs/deprecations),
// as restated in the `openai` package's type docs (7.57: resources/realtime/realtime.d.ts, the
// session `model` and `audio.input.transcription.model`). OpenAI gives six months' notice; when it
// announces more, add them here. `switchboard doctor` also asks the API, which knows of
// announcements made after this release.

export interface Retirement {
  model: string;
  kind: 'realtime' | 'transcription';
  /** The first day the model no longer answers, YYYY-MM-DD. */
  shutdown: string;
  replacement: string;
}

const realtime = (model: string, replacement: string): Retirement => ({ model, kind: 'realtime', shutdown: '2027-01-20', replacement });
const transcription = (model: string): Retirement => ({ model, kind: 'transcription', shutdown: '2027-02-26', replacement: 'gpt-transcribe' });

export const RETIREMENTS: readonly Retirement[] = [
  realtime('gpt-realtime', 'gpt-realtime-2.1'),
  realtime('gpt-realtime-2025-08-28', 'gpt-realtime-2.1'),
  realtime('gpt-realtime-mini', 'gpt-realtime-2.1-mini'),
  realtime('gpt-realtime-mini-2025-12-15', 'gpt-realtime-2.1-mini'),
  realtime('gpt-audio-mini', 'gpt-realtime-2.1-mini'),
  realtime('gpt-audio-mini-2025-12-15', 'gpt-realtime-2.1-mini'),
  transcription('whisper-1'),
  transcription('gpt-4o-transcribe'),
  transcription('gpt-4o-transcribe-diarize'),
  transcription('gpt-4o-mini-transcribe'),
  transcription('gpt-4o-mini-transcribe-2025-12-15'),
];
