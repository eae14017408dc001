import { expect, test } from 'bun:test';
import { configReference } from './reference.ts';

test('docs/reference.md is what the schema says today (run `npm run reference` after changing the schema)', async () => {
  const committed = await Bun.file(new URL('../../docs/reference.md', import.meta.url)).text();
  expect(committed).toBe(configReference());
});

test('every key has a row with its type, default and description', () => {
  const reference = configReference();
  expect(reference).toContain('| `limits.max_concurrent_calls` | integer >0 | `100` | Calls beyond this get the busy message');
  expect(reference).toContain('| `outbound.machine_detection` | "off" \\| "hang_up" \\| "leave_message" | `"off"` |');
  expect(reference).toContain('| `agents.<id>.dtmf.timeout_ms` | integer 100..60000 | `3000` |');
  expect(reference).toContain('| `tools.<id>.http.url` | string |');
});
