// Attempts at the admin token (auth-attempts.ts keeps the running totals): wrong tokens, and
// attempts refused with 429 because their client had too many, by where they were tried. A
// guessing flood shows here even when the log stops naming each client.
import type { AuthEndpoint } from '../server/auth-attempts.ts';
import { mirrorCounter } from './collect.ts';
import type { Metrics } from './metrics.ts';

export interface AccessSource {
  readonly failures: Readonly<Record<AuthEndpoint, number>>;
  readonly refused: Readonly<Record<AuthEndpoint, number>>;
}

export function registerAccess(metrics: Metrics, attempts: AccessSource): void {
  mirrorCounter(
    metrics,
    { name: 'switchboard_auth_failures_total', help: 'Wrong or missing admin tokens: admin (Bearer on /calls, /metrics) or console (its login form).', label: 'endpoint' },
    () => Object.entries(attempts.failures),
  );
  mirrorCounter(
    metrics,
    { name: 'switchboard_auth_refused_total', help: 'Admin-token attempts refused with 429: their client had too many wrong tokens in the last minute.', label: 'endpoint' },
    () => Object.entries(attempts.refused),
  );
}
