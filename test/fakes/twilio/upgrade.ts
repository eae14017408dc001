// A bare WebSocket upgrade request as raw HTTP over TCP, to read the status a server answers with.
import { connect as netConnect } from 'node:net';

export interface UpgradeResult {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** Send `GET target` with exactly `headers`; a 101 is closed at once. */
export function rawUpgrade(target: URL, headers: Record<string, string>, timeoutMs: number): Promise<UpgradeResult> {
  const request =
    `GET ${target.pathname}${target.search} HTTP/1.1\r\n` +
    Object.entries(headers)
      .map(([k, v]) => `${k}: ${v}\r\n`)
      .join('') +
    '\r\n';
  return new Promise((resolve, reject) => {
    const socket = netConnect({ host: target.hostname, port: Number(target.port) });
    let buffer = Buffer.alloc(0);
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`FakeTwilio.upgrade: no complete answer within ${timeoutMs}ms`));
    }, timeoutMs);
    const tryFinish = (ended: boolean) => {
      const headerEnd = buffer.indexOf('\r\n\r\n');
      if (headerEnd < 0) {
        if (ended) {
          clearTimeout(timer);
          reject(new Error(`FakeTwilio.upgrade: connection closed before a response: ${JSON.stringify(buffer.toString())}`));
        }
        return;
      }
      const lines = buffer.subarray(0, headerEnd).toString('latin1').split('\r\n');
      const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(lines[0] ?? '')?.[1] ?? NaN);
      const responseHeaders: Record<string, string> = {};
      for (const line of lines.slice(1)) {
        const colon = line.indexOf(':');
        if (colon > 0) responseHeaders[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
      }
      const bodyBytes = buffer.subarray(headerEnd + 4);
      const length = Number(responseHeaders['content-length'] ?? 0);
      if (status !== 101 && !ended && bodyBytes.length < length) return;
      clearTimeout(timer);
      socket.destroy();
      resolve({ status, headers: responseHeaders, body: status === 101 ? '' : bodyBytes.subarray(0, length || undefined).toString() });
    };
    socket.on('connect', () => socket.write(request));
    socket.on('data', (chunk: Buffer) => {
      buffer = Buffer.concat([buffer, chunk]);
      tryFinish(false);
    });
    socket.on('end', () => tryFinish(true));
    socket.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
  });
}
