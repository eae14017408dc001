import { expect, test } from 'bun:test';
import { Playback } from './playback.ts';

test('marks come back when the audio before them has played, and all at once on clear', async () => {
  let t = 0;
  const echoed: string[] = [];
  const playback = new Playback((name) => echoed.push(name), () => t);
  playback.media(160); // 20 ms
  playback.mark('a');
  playback.media(160);
  playback.mark('b');
  expect(echoed).toEqual([]);
  t = 20;
  await Bun.sleep(25); // the real timer fires; the injected clock says 20 ms passed
  expect(echoed).toEqual(['a']);
  playback.clear();
  expect(echoed).toEqual(['a', 'b']);
  playback.stop();
});

test('a mark with nothing queued before it comes back at once', async () => {
  const echoed: string[] = [];
  const playback = new Playback((name) => echoed.push(name));
  playback.mark('now');
  await Bun.sleep(1);
  expect(echoed).toEqual(['now']);
});
