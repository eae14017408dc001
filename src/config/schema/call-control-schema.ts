// Call control in agents.yaml: routing by called number, keypad input, transfers and outbound
// calls. Numbers are E.164 (what Twilio sends and dials); transfers may also go to a SIP URI.
import { z } from 'zod';
import { unknownCallFacts } from './call-facts.ts';

export const E164 = /^\+[1-9][0-9]{1,14}$/;
/** A prefix of E.164 numbers (`outbound.allowed_destinations`): +, then 1 to 15 digits, the first not 0. */
export const DESTINATION_PREFIX = /^\+[1-9][0-9]{0,14}$/;
export const DIAL_TARGET = /^(\+[1-9][0-9]{1,14}|sip:\S+)$/;

export const e164 = z.string().regex(E164, { error: 'must be an E.164 number like +15551234567' });
export const dialTarget = z.string().regex(DIAL_TARGET, { error: 'must be an E.164 number like +15551234567 or a sip: URI' });

export const numbersSchema = z
  .record(e164, z.string())
  .default({})
  .describe('The agent that answers each called number (the webhook\'s To), e.g. "+15550001111": billing; others go to `entry`.');

export const dtmfSchema = z
  .strictObject({
    mode: z
      .enum(['each', 'collect'])
      .default('each')
      .describe('each: every key press reaches the agent at once; collect: digits are gathered and sent together.'),
    end_on: z
      .string()
      .regex(/^[0-9*#]$/, { error: 'must be one key: 0-9, * or #' })
      .default('#')
      .describe('collect: this key sends the digits gathered so far (it is not part of them).'),
    max_digits: z
      .number()
      .int({ error: 'must be a whole number' })
      .min(1, { error: 'must be at least 1' })
      .max(64, { error: 'must be at most 64' })
      .optional()
      .describe('collect: send as soon as this many digits are gathered.'),
    timeout_ms: z
      .number()
      .int({ error: 'must be a whole number of milliseconds' })
      .min(100, { error: 'must be at least 100' })
      .max(60_000, { error: 'must be at most 60000' })
      .default(3000)
      .describe('collect: send what was gathered after this long without a key press.'),
  })
  .describe("How the caller's key presses reach the agent.");

const transferTarget = z.union([
  dialTarget,
  z.strictObject({
    number: dialTarget.describe('E.164 number or sip: URI.'),
    description: z.string().optional().describe('Tells the model when to choose this target.'),
  }),
]);

export const transferSchema = z
  .strictObject({
    to: z
      .union([dialTarget, z.array(transferTarget).min(1, { error: 'must list at least one target' })])
      .describe('One target, or a list the model chooses from (any other number is refused).'),
    announce: z.string().min(1, { error: 'must not be empty' }).optional().describe('What the agent says before the transfer.'),
    caller_id: e164.optional().describe('Caller ID shown to the target (a number of your Twilio account); default: the caller\'s.'),
    timeout_seconds: z
      .number()
      .int({ error: 'must be a whole number of seconds' })
      .min(5, { error: 'must be at least 5' })
      .max(600, { error: 'must be at most 600' })
      .default(30)
      .describe('How long the target may ring.'),
    record: z.boolean().default(false).describe('Record the transferred call (Twilio <Dial record>).'),
  })
  .describe('Transfers the caller: the agent announces it, the stream ends, Twilio dials the target.');

export const outboundSchema = z
  .strictObject({
    from: e164.optional().describe('Your Twilio number that outbound calls come from (else TWILIO_FROM or --from).'),
    agent: z.string().optional().describe('The agent that talks on outbound calls; default: `entry`.'),
    machine_detection: z
      .enum(['off', 'hang_up', 'leave_message'])
      .default('off')
      .describe("Twilio's answering-machine detection: hang up on a machine, or leave `message` after the beep."),
    message: z.string().min(1, { error: 'must not be empty' }).optional().describe('Left on an answering machine (leave_message).'),
    allowed_destinations: z
      .array(z.string().regex(DESTINATION_PREFIX, { error: 'must be an E.164 prefix like "+1" or "+4420"' }))
      .optional()
      .describe(
        'E.164 prefixes outbound calls may go to, e.g. ["+1", "+44"]; default: only the country code of the number they come from. ' +
          'Premium-rate and high-fraud ranges (+1900, +1976, +881/+882/+883, the list in src/outbound/destinations.ts) stay refused unless a prefix here is at least as specific ("+1" does not allow "+1900"; "+1900" does).',
      ),
    max_per_minute: z
      .number()
      .int({ error: 'must be a whole number' })
      .min(1, { error: 'must be at least 1' })
      .default(10)
      .describe(
        'Outbound calls placed per minute (UTC clock minute) at most, by all instances sharing a PostgreSQL or SQLite store; beyond it POST /calls answers 429. ' +
          'Default 10: a campaign dialler rarely needs more, and a leaked admin token costs minutes of calls, not hours.',
      ),
    max_per_day: z
      .number()
      .int({ error: 'must be a whole number' })
      .min(1, { error: 'must be at least 1' })
      .default(200)
      .describe(
        'Outbound calls placed per day (UTC) at most, counted like max_per_minute. Default 200: a day of reminders for a small business; raise it for more, knowing it bounds what a toll-fraud attempt can cost.',
      ),
  })
  .superRefine(
    (outbound, ctx) => ctx.addIssue({ code: 'custom', path: ['message'], message: 'machine_detection: leave_message needs a `message` to leave' }),
    { when: ({ value }) => (value as { machine_detection?: unknown; message?: unknown } | undefined)?.machine_detection === 'leave_message' && (value as { message?: unknown }).message === undefined },
  )
  .superRefine(
    (outbound, ctx) => {
      for (const message of unknownCallFacts(outbound.message ?? '')) ctx.addIssue({ code: 'custom', path: ['message'], message });
    },
    { when: ({ value }) => typeof (value as { message?: unknown } | undefined)?.message === 'string' },
  )
  .describe('Calls switchboard places (`switchboard call`, POST /calls).');

export type DtmfConfig = z.output<typeof dtmfSchema>;
export type TransferConfig = z.output<typeof transferSchema>;
export type OutboundConfig = z.output<typeof outboundSchema>;
