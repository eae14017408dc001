// Before any call: does the Realtime API accept this key at this endpoint? A short WebSocket
// connect and close (no session is used, nothing is billed). `serve` runs it in the background at
// start and warns; `doctor` runs it and fails on it.
import { explainConnectError } from '../call/upstream-errors.ts';
import pkg from '../../package.json' with { type: 'json' };

export const PREFLIGHT_TIMEOUT_MS = 5000;

export type PreflightResult = { ok: true; ms: number } | { ok: false; reason: string };

export function checkRealtime(url: string, apiKey: string, timeoutMs = PREFLIGHT_TIMEOUT_MS): Promise<PreflightResult> {
  const started = performance.now();
  const host = new URL(url).host;
  return new Promise((resolve) => {
    let settled = false;
    const settle = (result: PreflightResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(result);
    };
    // Bun's WebSocket takes headers as a second-argument option.
    const socket = new WebSocket(url, { headers: { Authorization: `Bearer ${apiKey}`, 'User-Agent': `switchboard/${pkg.version}` } } as never);
    const timer = setTimeout(() => {
      settle({ ok: false, reason: `the Realtime API at ${host} did not answer within ${timeoutMs} ms: check the network or proxy` });
      socket.close();
    }, timeoutMs);
    socket.addEventListener('open', () => {
      settle({ ok: true, ms: Math.round(performance.now() - started) });
      socket.close(1000, 'preflight');
    });
    socket.addEventListener('error', (event) => settle({ ok: false, reason: explainConnectError((event as { message?: unknown }).message ?? event, host) }));
    socket.addEventListener('close', () => settle({ ok: false, reason: `the Realtime API at ${host} closed the connection before it opened` }));
  });
}

/** What /readyz answers: ready unless draining or the preflight failed and no session has opened since. */
export class Readiness {
  #problem: string | undefined;

  get problem(): string | undefined {
    return this.#problem;
  }

  preflight(result: PreflightResult): void {
    this.#problem = result.ok ? undefined : result.reason;
  }

  /** A real session opened: whatever the preflight said, the API works now. */
  upstreamOpened(): void {
    this.#problem = undefined;
  }
}
