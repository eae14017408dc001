// `http:` tools call the user's own service. Arguments and call facts may go into the URL's path
// and query and into the JSON body, each encoded for where it lands; never into the host (which
// is the YAML's alone) or the headers (which carry secrets, from ${ENV}).
import { z } from 'zod';
import { placeholders } from './template.ts';

export const HTTP_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;
export const DEFAULT_HTTP_TIMEOUT_MS = 10_000;
export const DEFAULT_MAX_RESPONSE_BYTES = 16 * 1024;

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** `https://host:port` of a URL template, or undefined when it does not start with one. */
export function templateOrigin(url: string): string | undefined {
  return /^[A-Za-z][A-Za-z0-9+.-]*:\/\/[^/?#]*/.exec(url)?.[0];
}

export const httpSchema = z
  .strictObject({
    method: z.enum(HTTP_METHODS).optional().describe('HTTP method; GET, or POST when there is a body.'),
    url: z
      .string()
      .min(1, { error: 'must not be empty' })
      .describe('http(s) URL; {{name}} and {{call.*}} may appear in the path and query (URL-encoded), never in the host.'),
    headers: z.record(z.string(), z.string()).optional().describe('Request headers; put secrets in ${ENV}, never in the file.'),
    query: z
      .record(z.string(), z.union([z.string(), z.number(), z.boolean()]))
      .optional()
      .describe('Query parameters; values may use {{name}} (a lone {{name}} that is null is left out).'),
    body: z.unknown().optional().describe('JSON body; strings may use {{name}} (a lone {{name}} keeps the argument\'s type).'),
    timeout_ms: z
      .number()
      .int({ error: 'must be a whole number of milliseconds' })
      .min(100, { error: 'must be at least 100' })
      .max(120_000, { error: 'must be at most 120000' })
      .default(DEFAULT_HTTP_TIMEOUT_MS)
      .describe('The request, answer included, must be done within this long.'),
    max_response_bytes: z
      .number()
      .int({ error: 'must be a whole number of bytes' })
      .min(1, { error: 'must be at least 1' })
      .max(1024 * 1024, { error: 'must be at most 1048576' })
      .default(DEFAULT_MAX_RESPONSE_BYTES)
      .describe('A longer answer is a tool error: the model cannot use megabytes on a phone call.'),
    sign: z.boolean().default(false).describe('Add an HMAC-SHA256 signature (X-Switchboard-Signature) keyed by TOOL_SIGNING_SECRET.'),
  })
  // Runs even when a sibling field is invalid; hence the defensive reads.
  .superRefine(
    (http, ctx) => {
      const url = typeof http.url === 'string' ? http.url : '';
      const origin = templateOrigin(url);
      if (origin?.includes('{{')) {
        ctx.addIssue({
          code: 'custom',
          path: ['url'],
          message: 'a {{placeholder}} in the host: the host is written in the YAML, never taken from an argument; put arguments in the path or the query',
        });
      } else if (url !== '' && !isHttpUrl(url.replace(/\{\{[^{}]*\}\}/g, 'x'))) {
        ctx.addIssue({ code: 'custom', path: ['url'], message: 'must be an http:// or https:// URL' });
      }
      if (isRecord(http.headers)) {
        for (const [name, value] of Object.entries(http.headers)) {
          if (typeof value === 'string' && placeholders(value).length > 0) {
            ctx.addIssue({ code: 'custom', path: ['headers', name], message: 'headers take no {{placeholders}}; send arguments in the query or the body' });
          }
        }
      }
      if (http.body !== undefined && (http.method ?? 'POST') === 'GET') {
        ctx.addIssue({ code: 'custom', path: ['body'], message: 'a GET request has no body; set method: POST (or PUT, PATCH)' });
      }
    },
    { when: ({ value }) => isRecord(value) },
  )
  .describe('Call an HTTP endpoint; its answer (JSON or text) goes back to the model.');

function isHttpUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
  } catch {
    return false;
  }
}

/** Every template string an http tool renders, with its path under `http`. */
export function httpTemplates(http: unknown): { path: (string | number)[]; text: string }[] {
  if (!isRecord(http)) return [];
  const found: { path: (string | number)[]; text: string }[] = [];
  if (typeof http.url === 'string') found.push({ path: ['url'], text: http.url });
  if (isRecord(http.query)) {
    for (const [key, value] of Object.entries(http.query)) if (typeof value === 'string') found.push({ path: ['query', key], text: value });
  }
  const walk = (value: unknown, path: (string | number)[]) => {
    if (typeof value === 'string') found.push({ path, text: value });
    else if (Array.isArray(value)) value.forEach((item, i) => walk(item, [...path, i]));
    else if (isRecord(value)) for (const [key, item] of Object.entries(value)) walk(item, [...path, key]);
  };
  walk(http.body, ['body']);
  return found;
}

export type HttpConfig = z.output<typeof httpSchema>;
