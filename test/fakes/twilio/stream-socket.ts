// The Media Streams WebSocket as Twilio opens it: with the upgrade headers, binary frames as
// ArrayBuffers, and an open that fails loudly when the server refuses it.

export interface StreamSocketHandlers {
  message(data: unknown): void;
  close(code: number, reason: string): void;
}

/** Connect to `target`; `opened` resolves on open, or rejects if the socket closes first. */
export function openStreamSocket(
  target: string,
  headers: Record<string, string>,
  on: StreamSocketHandlers,
): { ws: WebSocket; opened: Promise<void> } {
  const ws = new WebSocket(target, { headers });
  ws.binaryType = 'arraybuffer';
  const opened = new Promise<void>((resolve, reject) => {
    let isOpen = false;
    let failure = '';
    ws.addEventListener('open', () => {
      isOpen = true;
      resolve();
    });
    ws.addEventListener('error', (event) => {
      failure = (event as ErrorEvent).message ?? 'error';
    });
    ws.addEventListener('message', (event) => on.message(event.data));
    ws.addEventListener('close', (event) => {
      on.close(event.code, event.reason);
      if (!isOpen) reject(new Error(`FakeTwilio: stream WebSocket ${target} did not open (${failure || `close ${event.code}`})`));
    });
  });
  return { ws, opened };
}
