// Output guardrails: what an agent must never say (a card number, a word), checked against the
// transcript of its speech as it is produced. A match cuts the answer off and the caller hears
// `message` instead.
import { z } from 'zod';

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Flags every deny_regex is compiled with: transcripts come in any case, and may hold any script. */
export const GUARDRAIL_REGEX_FLAGS = 'iu';

export const guardrailSchema = z
  .strictObject({
    name: z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,64}$/, { error: 'may only contain letters, digits, "_" and "-", at most 64 characters' })
      .describe('Names the guardrail in the call record and the log.'),
    deny_regex: z.string().min(1, { error: 'must not be empty' }).optional().describe('Trips when the agent\'s words match (case-insensitive).'),
    deny_words: z
      .array(z.string().min(1, { error: 'must not be empty' }))
      .min(1, { error: 'must list at least one word' })
      .optional()
      .describe('Trips when the agent says one of these words or phrases (whole words, any case).'),
    message: z.string().min(1, { error: 'must not be empty' }).describe('What the caller hears instead of the answer that tripped it.'),
  })
  // Runs even when a sibling field is invalid; hence the defensive reads.
  .superRefine(
    (guardrail, ctx) => {
      const regex = typeof guardrail.deny_regex === 'string' ? guardrail.deny_regex : undefined;
      const words = guardrail.deny_words !== undefined;
      if ((regex !== undefined) === words) {
        const message = words ? 'a guardrail is one kind; it has deny_regex and deny_words: keep one' : 'a guardrail needs deny_regex or deny_words';
        ctx.addIssue({ code: 'custom', path: [], message });
      }
      if (regex === undefined) return;
      try {
        new RegExp(regex, GUARDRAIL_REGEX_FLAGS);
      } catch (error) {
        // Some engines quote the pattern (`/(/iu: ...`); the pattern may come from the environment.
        const why = (error as Error).message.replace(/^Invalid regular expression: /, '').replace(/^\/.*\/[a-z]*: /s, '');
        ctx.addIssue({ code: 'custom', path: ['deny_regex'], message: `not a valid regular expression: ${why}` });
      }
    },
    { when: ({ value }) => isRecord(value) },
  )
  .describe('An output guardrail: a pattern the agent must never say, and what the caller hears instead.');

export const guardrailsSchema = z
  .array(guardrailSchema)
  .superRefine((list, ctx) => {
    const seen = new Set<string>();
    list.forEach((guardrail, index) => {
      if (seen.has(guardrail.name)) ctx.addIssue({ code: 'custom', path: [index, 'name'], message: `another guardrail here is named "${guardrail.name}"; names must differ` });
      seen.add(guardrail.name);
    });
  })
  .describe('Output guardrails; the global ones apply to every agent, an agent\'s own to it alone.');

export type GuardrailConfig = z.output<typeof guardrailSchema>;

/** The guardrail's test on a transcript: its regex, or its words as whole words. */
export function denyPattern(guardrail: GuardrailConfig): RegExp {
  if (guardrail.deny_regex !== undefined) return new RegExp(guardrail.deny_regex, GUARDRAIL_REGEX_FLAGS);
  const words = (guardrail.deny_words ?? []).map((w) => w.trim().replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/\s+/g, '\\s+'));
  // \b only knows ASCII word characters; these lookarounds know every script's letters.
  return new RegExp(`(?<![\\p{L}\\p{N}])(?:${words.join('|')})(?![\\p{L}\\p{N}])`, GUARDRAIL_REGEX_FLAGS);
}

/** The `guardrails` key, for the top level (every agent) and for each agent (its own). */
export const guardrailsShape = { guardrails: guardrailsSchema.optional() };
