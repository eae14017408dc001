// Many simulated calls at once: calls start spread over a ramp, each sends its frames on its own
// 20 ms clock (as Twilio does: one ticker for all would hand the server every call's frame in one
// burst), and each hangs up after its seconds. Each call is judged once it is over (outcome.ts).
import { SimulatedCall, type CallerOptions, type CallResult } from './caller.ts';
import { judge, type Expectation } from './outcome.ts';

export interface LoadOptions extends Omit<CallerOptions, 'index'> {
  calls: number;
  seconds: number;
  rampMs: number;
  /** What a call must come to to count as completed (default: agent audio). */
  expect?: Expectation;
  onProgress?: (message: string) => void;
}

export async function runCalls(options: LoadOptions): Promise<CallResult[]> {
  const { calls: n, seconds, rampMs, onProgress, expect = 'audio' } = options;
  const calls = Array.from({ length: n }, (_, index) => new SimulatedCall({ ...options, index }));
  let opened = 0;
  await Promise.all(
    calls.map(async (call, i) => {
      await Bun.sleep((rampMs * i) / Math.max(1, n));
      let clock: Timer | undefined;
      try {
        await call.open();
        // sendDueFrames catches up on late ticks, so timer jitter never drops a frame.
        clock = setInterval(() => call.sendDueFrames(), 20);
        if (++opened % 50 === 0 || opened === n) onProgress?.(`${opened}/${n} calls connected`);
        await Promise.race([call.closed, Bun.sleep(seconds * 1000)]);
        clearInterval(clock);
        await call.hangup();
        await call.followAction();
        judge(call.result, expect);
      } catch (error) {
        judge(call.result, expect, error);
      } finally {
        clearInterval(clock);
      }
    }),
  );
  return calls.map((c) => c.result);
}
