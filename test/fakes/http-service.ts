// The user's own HTTP service, as http tools call it: a Bun.serve on loopback that records every
// request exactly as it arrived and answers by path.
//   /orders/<id>  JSON about the order      /notes   JSON { saved: true }
//   /fail         500                       /hang    never answers (until the service stops)
//   /big          10 MB, streamed           /echo    the request's headers, as JSON
//   /slow         answers once `release()` is called
//   /echo-encoded the Authorization credential in every common encoding (see echoedForms), as a
//                 careless service logs it back
import type { Server } from 'bun';

export interface SeenRequest {
  method: string;
  url: URL;
  headers: Headers;
  body: string;
}

export interface HttpService {
  readonly origin: string;
  readonly seen: SeenRequest[];
  /** Lets every /slow request waiting (and to come) answer. */
  release(): void;
  /** Resolves when a request for `path` has arrived. */
  arrived(path: string): Promise<SeenRequest>;
  [Symbol.asyncDispose](): Promise<void>;
}

const BIG_BYTES = 10 * 1024 * 1024;

export function startHttpService(): HttpService {
  const seen: SeenRequest[] = [];
  const stopped = Promise.withResolvers<void>();
  const slow = Promise.withResolvers<void>();
  const waiters: { path: string; resolve: (r: SeenRequest) => void }[] = [];
  const server: Server<undefined> = Bun.serve({
    port: 0,
    hostname: '127.0.0.1',
    async fetch(req) {
      const request = { method: req.method, url: new URL(req.url), headers: req.headers, body: await req.text() };
      seen.push(request);
      for (const waiter of waiters.filter((w) => w.path === request.url.pathname)) waiter.resolve(request);
      const path = request.url.pathname;
      if (path.startsWith('/orders/')) return Response.json({ order: decodeURIComponent(path.slice('/orders/'.length)), status: 'shipped', items: 2 });
      if (path === '/notes') return Response.json({ saved: true });
      if (path === '/fail') return new Response('boom', { status: 500 });
      if (path === '/hang') return stopped.promise.then(() => new Response('late'));
      if (path === '/slow') return slow.promise.then(() => Response.json({ answer: 'found it' }));
      if (path === '/echo') return Response.json({ headers: Object.fromEntries(req.headers) });
      if (path === '/echo-encoded') return Response.json(echoedForms(req.headers.get('authorization') ?? ''));
      if (path === '/big') return new Response(bigStream(), { headers: { 'Content-Type': 'application/octet-stream' } });
      return new Response('not found', { status: 404 });
    },
  });
  return {
    origin: `http://127.0.0.1:${server.port}`,
    seen,
    release: () => slow.resolve(),
    arrived: (path) => {
      const already = seen.find((r) => r.url.pathname === path);
      if (already) return Promise.resolve(already);
      return new Promise((resolve) => waiters.push({ path, resolve }));
    },
    async [Symbol.asyncDispose]() {
      stopped.resolve();
      await server.stop(true);
    },
  };
}

/** `text` as a service might print it: base64, base64url, URL-encoded, lower/upper case, hex. */
export function encodedForms(text: string): Record<string, string> {
  const bytes = Buffer.from(text, 'utf8');
  return {
    verbatim: text,
    base64: bytes.toString('base64'),
    base64url: bytes.toString('base64url'),
    urlEncoded: encodeURIComponent(text),
    lowercase: text.toLowerCase(),
    uppercase: text.toUpperCase(),
    hex: bytes.toString('hex'),
  };
}

/**
 * What /echo-encoded answers for an Authorization header: its credential (after Bearer/Basic) in
 * every form, the whole header base64-encoded, and for Basic the decoded user:password and the
 * password in every form.
 */
export function echoedForms(authorization: string): Record<string, string> {
  const [scheme = '', credential = ''] = authorization.split(/\s+/, 2);
  const echoed: Record<string, string> = { headerBase64: Buffer.from(authorization).toString('base64') };
  const add = (label: string, text: string) => {
    for (const [form, value] of Object.entries(encodedForms(text))) echoed[`${label}.${form}`] = value;
  };
  add('credential', credential);
  if (scheme.toLowerCase() === 'basic') {
    const login = Buffer.from(credential, 'base64').toString('utf8');
    add('login', login);
    add('password', login.slice(login.indexOf(':') + 1));
  }
  return echoed;
}

/** 10 MB in 64 KiB chunks, with no Content-Length: the client has to count. */
function bigStream(): ReadableStream<Uint8Array> {
  const chunk = new Uint8Array(64 * 1024).fill(0x61);
  let sent = 0;
  return new ReadableStream({
    pull(controller) {
      if (sent >= BIG_BYTES) return controller.close();
      controller.enqueue(chunk);
      sent += chunk.byteLength;
    },
  });
}
