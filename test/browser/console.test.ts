// The operator's console in a real browser (Debian's Chromium, headless): log in, watch a call
// live while the fake Twilio and fake Realtime play it, open its record, find it by number, look
// at the numbers; on a phone-sized screen too. Screenshots of each page go to
// test-results/console/ (CI keeps them); SCREENSHOTS=readme also refreshes the README's copies.
import { expect, test } from 'bun:test';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { ADMIN_TOKEN, liveCall, pattern, startHarness } from '../harness.ts';
import { scratchDir } from '../cli.ts';
import { HAVE_CHROMIUM, launch } from './chromium.ts';

const SHOTS = join(import.meta.dir, '../../test-results/console');
const README_SHOTS = join(import.meta.dir, '../console-screenshots');
const FROM = '+15557654321';

async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
  if (process.env.SCREENSHOTS === 'readme') await page.screenshot({ path: join(README_SHOTS, `${name}.png`), fullPage: true });
}

const nav = (page: Page, name: string) => page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name });

/** Uncaught errors and console errors (a CSP refusal is one); 401s before logging in are expected. */
function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error' && !message.text().includes('401')) errors.push(message.text());
  });
  return errors;
}

test.skipIf(!HAVE_CHROMIUM)('an operator logs in, watches a call live, opens its record and finds it by number', async () => {
  mkdirSync(SHOTS, { recursive: true });
  if (process.env.SCREENSHOTS === 'readme') mkdirSync(README_SHOTS, { recursive: true });
  await using h = await startHarness({ store: `sqlite://${join(scratchDir(), 'calls.db')}` });
  const origin = h.switchboard.url.origin;
  const browser = await launch();
  try {
    const context = await browser.newContext({ viewport: { width: 1100, height: 720 } });
    const page = await context.newPage();
    const errors = watchErrors(page);
    await page.goto(`${origin}/console`);
    await page.getByRole('heading', { name: 'Log in' }).waitFor();
    expect(await page.getByRole('navigation').isVisible()).toBe(false);

    // A wrong token: a message, and no cookie.
    await page.getByLabel('Admin token').fill('not-the-token');
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByText('Not logged in: wrong token.').waitFor();
    expect(await context.cookies()).toEqual([]);
    await shot(page, 'login');

    await page.getByLabel('Admin token').fill(ADMIN_TOKEN);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByRole('heading', { name: 'Live calls' }).waitFor();
    await page.getByText('No calls in progress.').waitFor();
    // Chromium keeps a Secure cookie on http://127.0.0.1 (a secure context); the page cannot read it.
    expect((await context.cookies()).map((c) => [c.name, c.httpOnly, c.secure, c.sameSite, c.path])).toEqual([['switchboard_console', true, true, 'Strict', '/console']]);
    expect(await page.evaluate(() => (globalThis as unknown as { document: { cookie: string } }).document.cookie)).toBe('');

    // The call, played by the fakes: it appears, and its transcript grows turn by turn.
    const { call, upstream } = await liveCall(h, { params: { From: FROM } });
    await page.getByText('1 call in progress.').waitFor();
    upstream.speechStarted();
    const item = upstream.speechStopped();
    upstream.userTranscript(item, 'What is the weather in Oslo?');
    await page.getByRole('list', { name: 'Transcript' }).getByText('What is the weather in Oslo?').waitFor();
    const { callId } = await upstream.callTool('weather', { location: 'Oslo' });
    await upstream.waitFor('conversation.item.create', (e) => e.item?.call_id === callId);
    await upstream.speak(pattern(320, 2), { transcript: 'It is sunny in Oslo, about 18 degrees.' });
    await page.getByRole('list', { name: 'Transcript' }).getByText('It is sunny in Oslo, about 18 degrees.').waitFor();
    expect(await page.getByRole('list', { name: 'Transcript' }).getByRole('listitem').count()).toBe(2);
    await shot(page, 'live');

    await call.hangup();
    await page.getByText('This call has ended.').waitFor();
    await page.getByRole('link', { name: 'Open its record' }).click();
    await page.getByRole('heading', { name: 'Call ********4321' }).waitFor();
    await page.getByText('The caller hung up.').waitFor();
    await page.getByText('Stream start to first agent audio').waitFor();
    await page.getByText('The weather in Oslo is sunny.').waitFor();
    await shot(page, 'call');

    // History: found by the last four digits of the number.
    await page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: 'History' }).click();
    await page.getByLabel('Number (any part)').fill('4321');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByText('1 call matching the search').waitFor();
    await shot(page, 'history');
    await page.getByRole('table').getByRole('link').click();
    await page.getByRole('heading', { name: 'Call ********4321' }).waitFor();

    await nav(page, 'Numbers').click();
    await page.getByRole('img', { name: /Calls per hour/ }).waitFor();
    await page.getByText('1 call in the last 24 hours, 0 of them went wrong.').first().waitFor();
    await shot(page, 'numbers');

    // A phone: the same pages fit, tables become cards.
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${origin}/console#/calls?number=4321`);
    await page.getByText('1 call matching the search').waitFor();
    await shot(page, 'history-phone');

    for (const text of [await page.content(), JSON.stringify(await context.storageState())]) expect(text).not.toContain('5557654321');

    // Logging out: the browser's own POST carries the page's Origin, which the server takes.
    await page.getByRole('button', { name: 'Log out' }).click();
    await page.getByRole('heading', { name: 'Log in' }).waitFor();
    expect(await context.cookies()).toEqual([]);
    expect(errors).toEqual([]);
  } finally {
    await browser.close();
  }
  // Chromium's start and a dozen page loads: more than the suite's default per-test allowance.
}, 60_000);

test.skipIf(!HAVE_CHROMIUM)("another site cannot show the console in a frame (to steer the operator's clicks)", async () => {
  await using h = await startHarness();
  const target = `${h.switchboard.url.origin}/console`;
  // Another origin (another port) whose page frames the console.
  using framer = Bun.serve({
    port: 0,
    hostname: '127.0.0.1',
    fetch: () => new Response(`<!doctype html><title>framer</title><iframe src="${target}"></iframe>`, { headers: { 'content-type': 'text/html' } }),
  });
  const browser = await launch();
  try {
    const page = await browser.newPage();
    const refused = page.waitForEvent('console', (message) => /frame-ancestors|X-Frame-Options/i.test(message.text()));
    await page.goto(framer.url.href);
    await refused;
    const frame = page.frames().find((f) => f !== page.mainFrame());
    // Blocked: the frame holds Chromium's error page, never the console's login form.
    expect(await frame?.locator('#login-form').count()).toBe(0);
  } finally {
    await browser.close();
  }
}, 60_000);
