// What the console asks of the browser on every response, and of a request that changes state.
// Headers: the page's own script, styles and API only (the same policy as the page's <meta>, plus
// what a <meta> cannot say: never inside a frame, so no other site can overlay it to steer clicks),
// no MIME sniffing, no Referer. Login and logout must come from the console's own page: an Origin
// that is PUBLIC_URL's, or the host the browser asked for (the console reached through an SSH
// tunnel on localhost, or by its address). A missing or foreign Origin is refused: browsers send
// one with every POST, so only another site's form or a script would lack the right one.

/** Must stay the policy of page/index.html's <meta> (a test compares them), with frame-ancestors. */
export const CONTENT_SECURITY_POLICY =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

export const CONSOLE_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy': CONTENT_SECURITY_POLICY,
  'x-frame-options': 'DENY',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
};

/** `response` with the console's headers (set on it: every Response built here is mutable). */
export function withConsoleHeaders(response: Response): Response {
  for (const [name, value] of Object.entries(CONSOLE_HEADERS)) response.headers.set(name, value);
  return response;
}

/**
 * The request's Origin is the console's own: PUBLIC_URL's origin, or the scheme the browser used
 * with the host it asked for (the Host header, which a page elsewhere cannot set).
 */
export function fromOwnOrigin(request: Request, publicUrl: string | undefined): boolean {
  const origin = request.headers.get('origin');
  if (origin === null || origin === 'null') return false;
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return false;
  if (publicUrl !== undefined && url.origin === publicUrl) return true;
  const host = request.headers.get('host');
  if (host === null || host === '') return false;
  try {
    // Parsed with the Origin's scheme, so that a default port written out (`:443`) still matches.
    return new URL(`${url.protocol}//${host}`).host === url.host;
  } catch {
    return false;
  }
}
