// The timings watch on its own: fake session events on a clock the test turns.
import { expect, test } from 'bun:test';
import { EventEmitter } from 'node:events';
import { CallTimingsWatch, type TimingClock } from './timings.ts';

/** performance.now() 0 is epoch 1_000_000; the wall clock moves with it. */
const ORIGIN = 1_000_000;

function session(openedAt: number) {
  const clock = { now: openedAt };
  const fake = {
    transport: new EventEmitter(),
    session: new EventEmitter(),
    openedAt,
    readyAt: undefined as number | undefined,
    get connectMs() {
      return fake.readyAt === undefined ? undefined : fake.readyAt - fake.openedAt;
    },
  };
  const timingClock: TimingClock = { perf: () => clock.now, wall: () => Math.round(ORIGIN + clock.now), timeOrigin: ORIGIN };
  const at = (perf: number) => (clock.now = perf);
  const callerStopped = (perf: number) => (at(perf), fake.transport.emit('input_audio_buffer.speech_stopped'));
  const agentSpoke = (perf: number) => (at(perf), fake.session.emit('audio_start'));
  return { fake, timingClock, at, callerStopped, agentSpoke };
}

/** A call whose stream socket opened at `perf`. */
const callAt = (perf: number) => ({ openedAt: perf, record: { startedAt: ORIGIN + perf } });

test('a pre-warmed session: its connect, the wait and first audio from the stream, and each reply as measured', () => {
  const { fake, timingClock, callerStopped, agentSpoke } = session(100);
  const replies: number[] = [];
  const watch = new CallTimingsWatch(fake, (ms) => replies.push(ms), timingClock);
  fake.readyAt = 400;
  const call = callAt(250);
  // The greeting (first_message) is the first audio, and answers no caller turn.
  agentSpoke(1150);
  callerStopped(2000);
  agentSpoke(2700.4);
  agentSpoke(2900); // more audio of the same answer: no second reply
  callerStopped(4000);
  agentSpoke(5200.6);
  expect(watch.of(call)).toEqual({ prewarmed: true, connectMs: 300, waitedMs: 150, firstAudioMs: 900, replyMs: [700, 1201] });
  // /metrics gets each reply unrounded, once.
  expect(replies).toHaveLength(2);
  expect(replies[0]).toBeCloseTo(700.4);
  expect(replies[1]).toBeCloseTo(1200.6);
});

test('a session opened for the stream, not yet ready: no connect or wait, nothing said yet', () => {
  const { fake, timingClock } = session(300);
  const watch = new CallTimingsWatch(fake, undefined, timingClock);
  expect(watch.of(callAt(250))).toEqual({ prewarmed: false, replyMs: [] });
  // Ready 250 ms after the stream opened: the stream waited for it.
  fake.readyAt = 500;
  expect(watch.of(callAt(250))).toEqual({ prewarmed: false, connectMs: 200, waitedMs: 250, replyMs: [] });
});

test('a session ready before its stream came: the stream waited 0', () => {
  const { fake, timingClock } = session(0);
  fake.readyAt = 300;
  expect(new CallTimingsWatch(fake, undefined, timingClock).of(callAt(5000))).toMatchObject({ prewarmed: true, connectMs: 300, waitedMs: 0 });
});

test('a long call keeps its first 100 replies; /metrics still gets every one', () => {
  const { fake, timingClock, callerStopped, agentSpoke } = session(0);
  let replies = 0;
  const watch = new CallTimingsWatch(fake, () => replies++, timingClock);
  for (let turn = 0; turn < 150; turn++) {
    callerStopped(turn * 10_000);
    agentSpoke(turn * 10_000 + 500 + turn);
  }
  const { replyMs } = watch.of(callAt(0));
  expect(replyMs).toHaveLength(100);
  expect(replyMs.at(-1)).toBe(599);
  expect(replies).toBe(150);
});
