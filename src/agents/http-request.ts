// An http tool's request from its templates: each value is encoded for where it lands (a URL path
// segment, a query value, a JSON string), so no argument can change the request's shape: not its
// origin (the YAML's alone), not its path (no "/" or ".." gets through), not its query (no "&" or
// "="), not its body's structure (JSON strings, not JSON text). The origin is checked once more
// on the finished URL: the headers' secrets go to the origin the YAML names, or nowhere.
import type { HttpConfig } from '../config/schema/schema.ts';
import { readOrigin } from '../config/schema/http-tool-schema.ts';
import { PLACEHOLDER } from '../config/schema/template.ts';

/** An argument the request cannot carry; the message is for the model. */
export class ArgumentError extends Error {}

/** A request that would not go to the origin the YAML fixes; the message is for the model. */
export class OriginError extends Error {}

export interface HttpRequestPlan {
  method: string;
  url: URL;
  /** JSON text, when the tool has a body. */
  body?: string;
}

type Values = Record<string, unknown>;

const LONE_PLACEHOLDER = /^\{\{\s*([^{}\s]*)\s*\}\}$/;
const asText = (value: unknown): string => (value === undefined || value === null ? '' : String(value));

export function buildRequest(http: HttpConfig, values: Values): HttpRequestPlan {
  // `check` refuses such a URL; this is for a config that got past it (built in code, or a bug).
  const { origin } = readOrigin(http.url);
  if (origin === undefined) throw new OriginError('the tool\'s URL does not name its host in the configuration, so nothing was sent');
  const url = renderUrl(http.url, values);
  for (const [key, value] of Object.entries(http.query ?? {})) {
    if (typeof value !== 'string') {
      url.searchParams.append(key, String(value));
      continue;
    }
    const lone = LONE_PLACEHOLDER.exec(value)?.[1];
    // An optional argument the model left out leaves its parameter out, rather than sending "".
    if (lone !== undefined && (values[lone] === undefined || values[lone] === null)) continue;
    // URLSearchParams encodes "&", "=", "#" and "+" in the value.
    url.searchParams.append(key, render(value, values));
  }
  if (!sameOrigin(url, origin)) throw new OriginError('the arguments would send the request to another host, so nothing was sent');
  const body = http.body === undefined ? undefined : JSON.stringify(renderBody(http.body, values));
  return { method: http.method ?? (body === undefined ? 'GET' : 'POST'), url, body };
}

/** Whether `url` goes to `origin` (as readOrigin gives it), with no user:password@ of its own. */
export function sameOrigin(url: URL, origin: string): boolean {
  return url.origin === origin && url.username === '' && url.password === '';
}

/** The URL with every placeholder URL-encoded; dot segments in the path are refused. */
export function renderUrl(template: string, values: Values): URL {
  const pathEnd = template.search(/[?#]/);
  const path = pathEnd === -1 ? template : template.slice(0, pathEnd);
  const rest = pathEnd === -1 ? '' : template.slice(pathEnd);
  const renderedPath = path.replace(PLACEHOLDER, (_, name: string) => {
    const value = asText(values[name]);
    // encodeURIComponent keeps "." as it is, and a URL parser resolves a whole "." or ".."
    // segment (even written %2E%2E) against the path before it.
    if (value === '.' || value === '..') throw new ArgumentError(`${name} cannot be "${value}"`);
    return encodeURIComponent(value);
  });
  const url = parseUrl(renderedPath + rest.replace(PLACEHOLDER, (_, name: string) => encodeURIComponent(asText(values[name]))));
  // Belt and braces: whatever the values, the path has as many segments as the template's.
  const segments = (text: string) => parseUrl(text.replace(PLACEHOLDER, 'x')).pathname.split('/').length;
  if (url.pathname.split('/').length !== segments(path)) throw new ArgumentError('an argument is not a valid part of the URL path');
  return url;
}

function parseUrl(text: string): URL {
  try {
    return new URL(text);
  } catch {
    throw new ArgumentError('the arguments do not make a valid URL');
  }
}

/** Strings are templates; a string that is one placeholder takes the value as it is (a number stays a number). */
export function renderBody(body: unknown, values: Values): unknown {
  if (typeof body === 'string') {
    const lone = LONE_PLACEHOLDER.exec(body)?.[1];
    return lone === undefined ? render(body, values) : (values[lone] ?? null);
  }
  if (Array.isArray(body)) return body.map((item) => renderBody(item, values));
  if (typeof body === 'object' && body !== null) {
    return Object.fromEntries(Object.entries(body).map(([key, value]) => [key, renderBody(value, values)]));
  }
  return body;
}

function render(template: string, values: Values): string {
  return template.replace(PLACEHOLDER, (_, name: string) => asText(values[name]));
}
