// Cold start: exec of a fresh process to its first 200 on `/`, the time a restarted or newly
// scaled-out server keeps callers waiting. Measured on the target's core, like the load runs.
import { freePort, pinned, spawnTracked, waitFor200 } from './processes.ts';
import { targetEnv, type Target } from './targets.ts';

const TIMEOUT_MS = 30_000;
/** Nothing listens here: the targets do not connect upstream before a call. */
const NO_UPSTREAM = 'ws://127.0.0.1:9/v1/realtime';

export async function coldStartMs(target: Target, cpus: number | number[] | undefined, workDir: string): Promise<number> {
  const port = freePort();
  const started = performance.now();
  const child = spawnTracked(pinned(cpus, target.command), { env: targetEnv(target, port, NO_UPSTREAM), cwd: workDir });
  try {
    return await waitFor200(`http://127.0.0.1:${port}/`, started, child, TIMEOUT_MS);
  } finally {
    child.kill('SIGKILL');
    await child.exited;
  }
}
