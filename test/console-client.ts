// The operator's console as a script sees it: log in with the admin token, call its API with the
// session cookie, and read its server-sent events one at a time.

export interface SseEvent {
  event: string;
  data: any;
}

/** POSTs the login form from the console's own page (its Origin); the response as it came (cookie and status untouched). */
export function login(origin: string, token: string, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${origin}/console/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin, ...headers },
    body: new URLSearchParams({ token }),
  });
}

/** Logs in and returns the `Cookie` header that carries the session. */
export async function session(origin: string, token: string): Promise<string> {
  const response = await login(origin, token);
  if (response.status !== 204) throw new Error(`login answered ${response.status}`);
  return response.headers.get('set-cookie')!.split(';')[0]!;
}

export const get = (origin: string, path: string, cookie?: string) => fetch(`${origin}${path}`, cookie ? { headers: { cookie } } : {});

export async function getJson(origin: string, path: string, cookie: string): Promise<any> {
  const response = await get(origin, path, cookie);
  if (!response.ok) throw new Error(`${path} answered ${response.status}: ${await response.text()}`);
  return response.json();
}

/** An open event stream: `next` waits for the next event of a name (and matching a predicate). */
export class EventStream {
  readonly #reader: { read(): Promise<{ done: boolean; value?: Uint8Array }>; cancel(): Promise<void> };
  readonly #decoder = new TextDecoder();
  #buffer = '';
  readonly #queue: SseEvent[] = [];
  #ended = false;
  #reading: Promise<{ done: boolean; value?: Uint8Array }> | undefined;

  constructor(readonly response: Response) {
    this.#reader = response.body!.getReader();
  }

  get ended(): boolean {
    return this.#ended;
  }

  async next(event: string, predicate: (data: any) => boolean = () => true, timeoutMs = 5000): Promise<any> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      while (this.#queue.length > 0) {
        const e = this.#queue.shift()!;
        if (e.event === event && predicate(e.data)) return e.data;
      }
      if (this.#ended) throw new Error(`the stream ended before a matching "${event}" event`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no matching "${event}" event within ${timeoutMs} ms`);
      // A read that lost the race stays pending and is awaited next time: none is dropped.
      this.#reading ??= this.#reader.read();
      let timer: Timer | undefined;
      const timeout = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), left)));
      const read = await Promise.race([this.#reading, timeout]);
      clearTimeout(timer);
      if (read === 'timeout') continue;
      this.#reading = undefined;
      if (read.done) this.#ended = true;
      else this.#parse(this.#decoder.decode(read.value, { stream: true }));
    }
  }

  /** Resolves once the server has ended the stream (events before that are dropped). */
  async end(timeoutMs = 5000): Promise<void> {
    await this.next('(end)', () => false, timeoutMs).catch((error: Error) => {
      if (!this.#ended) throw error;
    });
  }

  close(): Promise<void> {
    return this.#reader.cancel();
  }

  #parse(text: string): void {
    this.#buffer += text;
    let cut: number;
    while ((cut = this.#buffer.indexOf('\n\n')) >= 0) {
      const block = this.#buffer.slice(0, cut);
      this.#buffer = this.#buffer.slice(cut + 2);
      const lines = block.split('\n');
      const name = lines.find((l) => l.startsWith('event: '))?.slice('event: '.length);
      const data = lines.find((l) => l.startsWith('data: '))?.slice('data: '.length);
      if (name !== undefined && data !== undefined) this.#queue.push({ event: name, data: JSON.parse(data) });
    }
  }
}

export async function openLive(origin: string, cookie?: string): Promise<EventStream> {
  return new EventStream(await get(origin, '/console/api/live', cookie));
}
