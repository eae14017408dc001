// The post-call webhook: once a call has ended, its summary is POSTed to the owner's system,
// signed, retried a bounded number of times, off the call path.
import { z } from 'zod';

// RFC 9110 token characters; fetch refuses any other header name at send time, on every call.
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

export const callEndWebhookSchema = z
  .strictObject({
    url: z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' }).describe('Where the summary is POSTed (use https: it carries numbers and the transcript).'),
    secret: z
      .string()
      .min(16, { error: 'must be at least 16 characters (e.g. openssl rand -hex 32)' })
      .describe('Key of the HMAC-SHA256 signature in X-Switchboard-Signature; usually ${WEBHOOK_SECRET}.'),
    headers: z
      .record(z.string().regex(HEADER_NAME, { error: 'is not a valid HTTP header name' }), z.string())
      .default({})
      .describe('More headers for the receiver, e.g. Authorization (use ${…} for tokens).'),
    timeout_ms: z
      .number()
      .int({ error: 'must be a whole number of milliseconds' })
      .min(100, { error: 'must be between 100 and 60000' })
      .max(60_000, { error: 'must be between 100 and 60000' })
      .default(5000)
      .describe('How long one attempt may take before it counts as failed.'),
    retries: z
      .number()
      .int({ error: 'must be a whole number' })
      .min(0, { error: 'must be between 0 and 10' })
      .max(10, { error: 'must be between 0 and 10' })
      .default(3)
      .describe('Attempts after the first, on a timeout, a network error, 408, 429 or 5xx; 1 s, 2 s, 4 s … apart.'),
  })
  .describe("POSTs each call's summary (JSON) when it ends, signed with `secret`.");

export type CallEndWebhookConfig = z.output<typeof callEndWebhookSchema>;
