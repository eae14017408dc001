// The session cookie is Secure: Chromium keeps it on http://127.0.0.1 (a secure context, see
// console.test.ts) and drops it over plain http to any other address. The login form then says
// why instead of silently coming back (docs/console.md, "Reaching it safely").
import { expect, test } from 'bun:test';
import { networkInterfaces } from 'node:os';
import { ADMIN_TOKEN, startHarness } from '../harness.ts';
import { HAVE_CHROMIUM, launch } from './chromium.ts';

const address = Object.values(networkInterfaces())
  .flat()
  .find((a) => a?.family === 'IPv4' && !a.internal)?.address;
if (HAVE_CHROMIUM && !address) console.warn('console cookie test over plain http skipped: this machine has no IPv4 address besides loopback');

test.skipIf(!HAVE_CHROMIUM || !address)('over plain http to an address that is not this machine\'s loopback, the login says the cookie was not kept', async () => {
  await using h = await startHarness({ settings: { hostname: '0.0.0.0' } });
  const browser = await launch();
  try {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`http://${address}:${h.switchboard.url.port}/console`);
    await page.getByLabel('Admin token').fill(ADMIN_TOKEN);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByText('Not logged in: the browser did not keep the session cookie').waitFor();
    expect(await context.cookies()).toEqual([]);
    // The server did accept the token: only the browser refused to keep the answer.
    expect(h.logs.some((l) => l.includes('console login') && !l.includes('refused'))).toBe(true);
  } finally {
    await browser.close();
  }
}, 60_000);
