// What callers say is kept (the call record, the console, the post-call webhook) and may be logged:
// `privacy.redact` names what is removed from all of it before it leaves the live call (the model
// still hears the caller); `logging.content` puts the conversation into info-level log lines.
import { z } from 'zod';

/** The redactions switchboard knows by name (see privacy/redact.ts for what each matches). */
export const BUILTIN_REDACTIONS = ['card_number', 'ssn', 'email', 'phone'] as const;
export type BuiltinRedaction = (typeof BUILTIN_REDACTIONS)[number];

/** Flags every custom redaction regex is compiled with: any case, any script, every match. */
export const REDACT_REGEX_FLAGS = 'giu';

const NAME = /^[A-Za-z0-9_-]{1,64}$/;
const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

const builtinSchema = z.enum(BUILTIN_REDACTIONS);

const customSchema = z
  .strictObject({
    name: z
      .string()
      .regex(NAME, { error: 'may only contain letters, digits, "_" and "-", at most 64 characters' })
      .describe('What a removed span reads in the record: [NAME].'),
    regex: z.string().min(1, { error: 'must not be empty' }).describe('What to remove (case-insensitive, like a guardrail\'s deny_regex).'),
  })
  // Runs even when a sibling field is invalid; hence the defensive reads.
  .superRefine(
    (entry, ctx) => {
      if (typeof entry.regex !== 'string') return;
      let pattern: RegExp;
      try {
        pattern = new RegExp(entry.regex, REDACT_REGEX_FLAGS);
      } catch (error) {
        // Some engines quote the pattern (`/(/giu: ...`); the pattern may come from the environment.
        const why = (error as Error).message.replace(/^Invalid regular expression: /, '').replace(/^\/.*\/[a-z]*: /s, '');
        ctx.addIssue({ code: 'custom', path: ['regex'], message: `not a valid regular expression: ${why}` });
        return;
      }
      if (pattern.test('')) ctx.addIssue({ code: 'custom', path: ['regex'], message: 'matches empty text, so it would remove nothing and mark every position; make it match at least one character' });
    },
    { when: ({ value }) => isRecord(value) },
  )
  .describe('Your own redaction: a name and a regular expression.');

/** Neither a built-in nor a whole custom entry: one line saying which are known, or what a custom one needs. */
function entryError(input: unknown): string {
  const known = `${BUILTIN_REDACTIONS.join(', ')}, or { name, regex } for your own`;
  if (typeof input === 'string') return `unknown redaction "${input}"; use ${known}`;
  if (isRecord(input)) return 'a custom redaction needs a name and a regex, e.g. { name: policy_number, regex: "POL-\\d{6}" }';
  return `expected a redaction: ${known}`;
}

export const redactEntrySchema = z
  .union([builtinSchema, customSchema], { error: (issue) => entryError(issue.input) })
  .describe('card_number (Luhn-checked 13-19 digits), ssn (###-##-####), email, phone, or { name, regex }.');

export const privacySchema = z
  .strictObject({
    redact: z
      .array(redactEntrySchema)
      .default(['card_number'])
      .superRefine((list, ctx) => {
        const seen = new Set<string>();
        list.forEach((entry, index) => {
          const name = typeof entry === 'string' ? entry : entry.name;
          if (seen.has(name)) ctx.addIssue({ code: 'custom', path: typeof entry === 'string' ? [index] : [index, 'name'], message: `"${name}" is listed twice; names must differ` });
          seen.add(name);
        });
      })
      .describe(
        'Removed from what is kept and sent on (records, console, `calls show`, post-call webhook, logs): card_number, ssn, email, phone, or { name, regex }. Default [card_number]; [] keeps everything.',
      ),
  })
  .describe("Callers' data that is never kept: the live model still hears it, the record reads [NAME] instead.");

export const loggingSchema = z
  .strictObject({
    content: z
      .boolean()
      .default(false)
      .describe('Log transcript lines and tool arguments and results at info (redacted, numbers masked); by default only LOG_LEVEL=debug shows them.'),
  })
  .describe('What log lines may carry.');

export type RedactEntry = z.output<typeof redactEntrySchema>;
export type PrivacyConfig = z.output<typeof privacySchema>;
export type LoggingConfig = z.output<typeof loggingSchema>;
