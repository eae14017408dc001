// `http:` tools call the user's own service. Arguments and call facts may go into the URL's path
// and query and into the JSON body, each encoded for where it lands; never into the origin
// (scheme, host, port: the YAML's alone, since the headers' secrets go there) or the headers
// (which carry secrets, from ${ENV}). A URL parser forgives a lot ("https:/x", "https:x" and
// "https:///x" all name host x), so the origin is read here strictly, the same way at `check` and
// before every request (http-request.ts).
import { z } from 'zod';
import { placeholders } from './template.ts';

export const HTTP_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;
export const DEFAULT_HTTP_TIMEOUT_MS = 10_000;
export const DEFAULT_MAX_RESPONSE_BYTES = 16 * 1024;

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Why a tool URL's origin is not fixed; each message quotes none of the URL (it may come from ${ENV}). */
export const ORIGIN_PROBLEMS = {
  notHttp: 'must be an http:// or https:// URL',
  slashes:
    'write "//" and the host right after "http:" or "https:" (https://api.example.com/path): with fewer slashes a URL parser takes the host from what follows, arguments included',
  noHost: 'no host after "//": write the host in the YAML (https://api.example.com/path); a URL parser would skip the extra "/" and take the host from what follows, arguments included',
  hostPlaceholder: 'a {{placeholder}} in the host: the host is written in the YAML, never taken from an argument; put arguments in the path or the query',
  portPlaceholder: 'a {{placeholder}} in the port: the port is written in the YAML, never taken from an argument; put arguments in the path or the query',
  userinfo: 'a user or password before "@" in the URL: write only the host there, and send credentials in a header (Authorization: "Basic ${ORDERS_BASIC}")',
  badHost: 'not a host[:port] after "//": write letters, digits, "-" and "." (or [IPv6]), an optional :port, then "/" (https://api.example.com:8443/path)',
} as const;

export type OriginReading = { origin: string; problem?: undefined } | { origin?: undefined; problem: string };

const SCHEME = /^([A-Za-z][A-Za-z0-9+.-]*):/;
const LITERAL_HOST = /^(?:[\p{L}\p{N}_-]+(?:\.[\p{L}\p{N}_-]+)*\.?|\[[0-9A-Fa-f:.]+\])(?::[0-9]{1,5})?$/u;

/**
 * The origin (`https://host:port`) a tool URL template fixes, or why it fixes none: scheme, "//",
 * then a literal host and port ending at the first "/", "?" or "#" (or the end), with nothing a
 * template fills and no user:password@.
 */
export function readOrigin(url: string): OriginReading {
  const scheme = SCHEME.exec(url)?.[1]?.toLowerCase();
  if (scheme !== 'http' && scheme !== 'https') return { problem: ORIGIN_PROBLEMS.notHttp };
  const rest = url.slice(scheme.length + 1);
  if (!rest.startsWith('//')) return { problem: ORIGIN_PROBLEMS.slashes };
  const authority = /^[^/?#]*/.exec(rest.slice(2))?.[0] ?? '';
  if (authority === '') return { problem: ORIGIN_PROBLEMS.noHost };
  if (authority.includes('@')) return { problem: ORIGIN_PROBLEMS.userinfo };
  // A URL parser reads a backslash as "/" and drops tabs and newlines: what follows is not the host it seems.
  if (/[\\\s]/.test(authority)) return { problem: ORIGIN_PROBLEMS.badHost };
  const placeholderAt = authority.indexOf('{{');
  if (placeholderAt !== -1) {
    // A colon before the placeholder, outside an [IPv6] literal, starts the port.
    const before = authority.slice(0, placeholderAt).replace(/\[[^\]]*\]/g, '');
    return { problem: before.includes(':') ? ORIGIN_PROBLEMS.portPlaceholder : ORIGIN_PROBLEMS.hostPlaceholder };
  }
  if (!LITERAL_HOST.test(authority)) return { problem: ORIGIN_PROBLEMS.badHost };
  try {
    const parsed = new URL(`${scheme}://${authority}/`);
    if (parsed.hostname === '') return { problem: ORIGIN_PROBLEMS.badHost };
    return { origin: parsed.origin };
  } catch {
    return { problem: ORIGIN_PROBLEMS.badHost };
  }
}

export const httpSchema = z
  .strictObject({
    method: z.enum(HTTP_METHODS).optional().describe('HTTP method; GET, or POST when there is a body.'),
    url: z
      .string()
      .min(1, { error: 'must not be empty' })
      .describe('http(s) URL, scheme://host[:port] written out; {{name}} and {{call.*}} may appear in the path and query (URL-encoded), never in the scheme, host or port.'),
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
      const { problem } = url === '' ? {} : readOrigin(url);
      if (problem !== undefined) {
        ctx.addIssue({ code: 'custom', path: ['url'], message: problem });
      } else if (url !== '' && !isHttpUrl(url.replace(/\{\{[^{}]*\}\}/g, 'x'))) {
        ctx.addIssue({ code: 'custom', path: ['url'], message: ORIGIN_PROBLEMS.notHttp });
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
