// Many simulated calls at once, on one clock: calls start spread over a ramp, a single 20 ms
// ticker sends every call's due frames, and each hangs up after its seconds.
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
  const ticker = setInterval(() => {
    const now = performance.now();
    for (const call of calls) call.sendDueFrames(now);
  }, 20);
  try {
    let opened = 0;
    await Promise.all(
      calls.map(async (call, i) => {
        await Bun.sleep((rampMs * i) / Math.max(1, n));
        try {
          await call.open();
          if (++opened % 50 === 0 || opened === n) onProgress?.(`${opened}/${n} calls connected`);
          await Promise.race([call.closed, Bun.sleep(seconds * 1000)]);
          await call.hangup();
          await call.followAction();
        } catch (error) {
          call.result.error = error instanceof Error ? error.message : String(error);
        }
      }),
    );
  } finally {
    clearInterval(ticker);
  }
  return calls.map((c) => c.result);
}
