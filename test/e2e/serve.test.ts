// `serve` as a process: .env from the working directory, a real call, a clean SIGTERM.
import { expect, test } from 'bun:test';
import { join } from 'node:path';
import { smoke } from '../smoke.ts';

test('serve answers a call end to end and exits 0 on SIGTERM', async () => {
  const result = await smoke([process.execPath, join(import.meta.dir, '../../src/main.ts')]);
  expect(result.exitCode).toBe(0);
});
