// Test support: a stand-in for switchboard, written here so the fake Twilio's tests do not depend
// on switchboard's own code. It validates like switchboard must, answers TwiML, speaks Media Streams.
import type { ServerWebSocket } from 'bun';
import { getExpectedTwilioSignature, validateRequest } from 'twilio/lib/webhooks/webhooks';

export const TOKEN = '12345678901234567890123456789012';
export const PUBLIC = 'https://voice.example.com';
export const STREAM_URL = `${PUBLIC}/media-stream`.replace('https:', 'wss:');

interface StubRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  params: Record<string, string>;
}

interface StubPeer {
  ws: ServerWebSocket<{ headers: Record<string, string> }>;
  messages: any[];
  closed: Promise<{ code: number; reason: string }>;
  resolveClosed: (v: { code: number; reason: string }) => void;
}

type Listener = () => void;

export const TWIML =
  '<?xml version="1.0" encoding="UTF-8"?>\n<Response>\n  <Say>Hi &amp; welcome</Say>\n' +
  `  <Connect action="${PUBLIC}/call-ended?x=1&amp;y=2">\n` +
  `    <Stream url="${STREAM_URL}">\n` +
  '      <Parameter name="agent" value="greeter"/>\n' +
  '      <Parameter value="a&quot;b&lt;c&gt;d&apos;e&amp;f" name="token" />\n' +
  '    </Stream>\n  </Connect>\n</Response>';

export async function startStub() {
  const requests: StubRequest[] = [];
  const peers: StubPeer[] = [];
  const listeners = new Set<Listener>();
  const notify = () => {
    for (const l of [...listeners]) l();
  };
  const server = Bun.serve<{ headers: Record<string, string> }>({
    port: 0,
    hostname: '127.0.0.1',
    async fetch(req, srv) {
      const url = new URL(req.url);
      const headers: Record<string, string> = {};
      req.headers.forEach((v, k) => (headers[k] = v));
      if (url.pathname === '/media-stream') {
        // Twilio signs the upgrade over the public wss:// URL with no params.
        if (headers['x-twilio-signature'] !== getExpectedTwilioSignature(TOKEN, STREAM_URL, {})) {
          return new Response('bad signature', { status: 403 });
        }
        return srv.upgrade(req, { data: { headers } }) ? undefined : new Response('no upgrade', { status: 400 });
      }
      const params =
        req.method === 'POST' ? Object.fromEntries(new URLSearchParams(await req.text())) : Object.fromEntries(url.searchParams);
      requests.push({ method: req.method, path: url.pathname + url.search, headers, params });
      const signedUrl = PUBLIC + url.pathname + url.search;
      const ok = validateRequest(TOKEN, headers['x-twilio-signature'] ?? '', signedUrl, req.method === 'POST' ? params : {});
      if (!ok) return new Response('forbidden', { status: 403 });
      if (url.pathname === '/call-ended') {
        return new Response('<?xml version="1.0" encoding="UTF-8"?><Response><Hangup/></Response>', {
          headers: { 'content-type': 'text/xml' },
        });
      }
      return new Response(TWIML, { headers: { 'content-type': 'text/xml' } });
    },
    websocket: {
      open(ws) {
        let resolveClosed!: StubPeer['resolveClosed'];
        const closed = new Promise<{ code: number; reason: string }>((r) => (resolveClosed = r));
        peers.push({ ws, messages: [], closed, resolveClosed });
        notify();
      },
      message(ws, message) {
        peers.find((p) => p.ws === ws)?.messages.push(JSON.parse(String(message)));
        notify();
      },
      close(ws, code, reason) {
        peers.find((p) => p.ws === ws)?.resolveClosed({ code, reason });
      },
    },
  });
  /** Resolves when `check` returns a value (checked now and after every stub event). */
  const until = <T>(check: () => T | undefined, what: string, timeoutMs = 3000): Promise<T> =>
    new Promise((resolve, reject) => {
      const attempt = () => {
        const value = check();
        if (value === undefined) return;
        listeners.delete(attempt);
        clearTimeout(timer);
        resolve(value);
      };
      const timer = setTimeout(() => {
        listeners.delete(attempt);
        reject(new Error(`stub: timed out waiting for ${what}`));
      }, timeoutMs);
      listeners.add(attempt);
      attempt();
    });
  return {
    url: `http://127.0.0.1:${server.port}`,
    requests,
    peers,
    until,
    peerMessage: (peer: () => StubPeer | undefined, event: string) =>
      until(() => peer()?.messages.find((m) => m.event === event), `a "${event}" message`),
    async [Symbol.asyncDispose]() {
      await server.stop(true);
    },
  };
}
