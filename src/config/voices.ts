// The Realtime API's built-in voices. Source: the `voice` union of RealtimeAudioConfigOutput in
// node_modules/openai/resources/realtime/realtime.d.ts (openai 7.57.0). The API may add voices
// before this list learns of them, so an unknown voice is a warning, never an error.
export const VOICES: readonly string[] = ['alloy', 'ash', 'ballad', 'coral', 'echo', 'sage', 'shimmer', 'verse', 'marin', 'cedar'];
