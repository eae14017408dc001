// Many simulated calls at once: calls start spread over a ramp, each sends its frames on its own
// 20 ms clock (as Twilio does: one ticker for all would hand the server every call's frame in one
// burst), and each hangs up after its seconds.
import { SimulatedCall, type CallerOptions, type CallResult } from './caller.ts';

export interface LoadOptions extends Omit<CallerOptions, 'index'> {
  calls: number;
  seconds: number;
  rampMs: number;
  onProgress?: (message: string) => void;
}

export async function runCalls(options: LoadOptions): Promise<CallResult[]> {
  const { calls: n, seconds, rampMs, onProgress } = options;
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
      } catch (error) {
        call.result.error = error instanceof Error ? error.message : String(error);
      } finally {
        clearInterval(clock);
      }
    }),
  );
  return calls.map((c) => c.result);
}
