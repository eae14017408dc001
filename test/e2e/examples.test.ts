// The configurations in examples/ are documentation that runs: each passes `check` and answers a
// call through the real server against the fakes, with the agent its number routes to.
import { describe, expect, test } from 'bun:test';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseConfig } from '../../src/config/index.ts';
import { liveCall, pattern, startHarness } from '../harness.ts';

const DIR = join(import.meta.dir, '../../examples');
const ENV = { CLINIC_API_TOKEN: 'clinic-token-0123456789', WEBHOOK_SECRET: 'webhook-secret-0123456789abcdef', BOOKING_TOKEN: 'booking-token-0123456789' };
const EXAMPLES = readdirSync(DIR).filter((f) => f.endsWith('.yaml')).sort();

/** Who answers, and the greeting the agent is asked to say, for each example. */
const EXPECTED: Record<string, { to?: string; agent: string; greeting: string }> = {
  'appointment-reminder.yaml': { agent: 'reminder', greeting: 'Hello, this is Bright Smile Dental calling for' },
  'dental-clinic.yaml': { to: '+15550003333', agent: 'emergencies', greeting: 'This is the emergency line of Bright Smile Dental.' },
  'restaurant.yaml': { agent: 'host', greeting: 'Trattoria Luna, good evening.' },
};

test('every example has its expectations here', () => {
  expect(EXAMPLES).toEqual(Object.keys(EXPECTED).sort());
});

describe.each(EXAMPLES)('examples/%s', (file) => {
  test('passes check with no warning', async () => {
    const { notices } = parseConfig(await Bun.file(join(DIR, file)).text(), file, ENV);
    expect(notices).toEqual([]);
  });

  test('answers a call: the routed agent greets, and its audio reaches the caller', async () => {
    const expected = EXPECTED[file]!;
    await using h = await startHarness({ yaml: await Bun.file(join(DIR, file)).text(), env: ENV, secrets: Object.values(ENV) });
    const { call, upstream } = await liveCall(h, expected.to ? { params: { To: expected.to } } : undefined);
    expect(h.logs.some((l) => l.includes('call started') && l.includes(`agent=${expected.agent}`))).toBe(true);
    const greeting = await upstream.waitFor('response.create');
    expect(greeting.response.instructions).toContain(expected.greeting);
    const reply = pattern(160 * 10, 5);
    await upstream.speak(reply);
    await call.waitForAudioBytes(reply.length);
    expect(call.receivedAudio()).toEqual(reply);
    await call.hangup();
  });
});
