// Debian's Chromium, driven headless by playwright-core (no browser download): the flags a locked
// down CI machine needs, and a clear skip where Chromium is not installed.
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const HAVE_CHROMIUM = existsSync(CHROMIUM);

if (!HAVE_CHROMIUM) {
  console.warn(`browser tests of the console skipped: no Chromium at ${CHROMIUM} (.ci/run installs Debian's: apt-get install chromium; or set CHROMIUM_PATH)`);
}

/**
 * Headless, no sandbox (CI runs as root), and nothing that phones home: on a closed network
 * Chromium's background connections are refused and only slow it down.
 */
export function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-quic', '--no-first-run'],
  });
}
