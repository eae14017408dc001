// A small MCP server for the tests, written against the protocol itself (JSON-RPC 2.0: initialize,
// tools/list, tools/call), not with an SDK: the server side of the MCP SDK is not installed, and
// a fake that speaks the wire protocol checks our client the way a real server would. Run as a
// script it serves stdio (newline-delimited JSON); `startHttpMcp` serves streamable HTTP (one JSON
// answer per POST) in the test's own process.
//
// Tools: lookup_order (answers), broken (the server reports an error), hang (never answers),
// delete_everything (for allowed_tools to leave out).
// With FAKE_MCP_EVENTS set, it appends `started <pid>` and `call <tool> <pid>` lines to that file,
// so a test can wait for a call to arrive and kill the process running it.
import { appendFileSync } from 'node:fs';
import type { Server } from 'bun';

const TOOLS = [
  {
    name: 'lookup_order',
    description: 'Look up an order by its id.',
    inputSchema: { type: 'object', properties: { order_id: { type: 'string' } }, required: ['order_id'] },
  },
  { name: 'broken', description: 'Always fails.', inputSchema: { type: 'object', properties: {} } },
  { name: 'hang', description: 'Never answers.', inputSchema: { type: 'object', properties: {} } },
  { name: 'delete_everything', description: 'Not for callers.', inputSchema: { type: 'object', properties: {} } },
];

export type Message = { id?: string | number; method?: string; params?: any };
const NEVER = new Promise<never>(() => {});

function note(line: string): void {
  const file = process.env.FAKE_MCP_EVENTS;
  if (file) appendFileSync(file, `${line} ${process.pid}\n`);
}

/** The JSON-RPC answer to a request (undefined for a notification). */
export async function answer(message: Message): Promise<object | undefined> {
  if (message.id === undefined) return undefined;
  const result = (value: object) => ({ jsonrpc: '2.0', id: message.id, result: value });
  switch (message.method) {
    case 'initialize':
      return result({ protocolVersion: message.params?.protocolVersion, capabilities: { tools: {} }, serverInfo: { name: 'fake-mcp', version: '1.0.0' } });
    case 'tools/list':
      return result({ tools: TOOLS });
    case 'tools/call': {
      const name = String(message.params?.name);
      note(`call ${name}`);
      if (name === 'hang') return NEVER;
      if (name === 'broken') return result({ content: [{ type: 'text', text: 'the order system is down' }], isError: true });
      return result({ content: [{ type: 'text', text: `Order ${message.params?.arguments?.order_id} ships tomorrow.` }] });
    }
    default:
      return { jsonrpc: '2.0', id: message.id, error: { code: -32601, message: `Method not found: ${message.method}` } };
  }
}

/** Streamable HTTP on loopback; records each request's headers (lowercase names) and each JSON-RPC message. */
export function startHttpMcp(port = 0): { server: Server<undefined>; url: string; headers: Record<string, string>[]; messages: Message[] } {
  const headers: Record<string, string>[] = [];
  const messages: Message[] = [];
  const server = Bun.serve({
    port,
    hostname: '127.0.0.1',
    async fetch(req) {
      headers.push(Object.fromEntries(req.headers));
      // No server-to-client stream: the spec lets a server refuse the GET with 405.
      if (req.method !== 'POST') return new Response(null, { status: 405, headers: { Allow: 'POST' } });
      const message = (await req.json()) as Message;
      messages.push(message);
      const reply = await answer(message);
      return reply === undefined ? new Response(null, { status: 202 }) : Response.json(reply);
    },
  });
  return { server, url: `http://127.0.0.1:${server.port}/mcp`, headers, messages };
}

async function serveStdio(): Promise<void> {
  note('started');
  const decoder = new TextDecoder();
  let buffer = '';
  for await (const chunk of Bun.stdin.stream()) {
    buffer += decoder.decode(chunk, { stream: true });
    for (let end = buffer.indexOf('\n'); end >= 0; end = buffer.indexOf('\n')) {
      const line = buffer.slice(0, end).trim();
      buffer = buffer.slice(end + 1);
      if (line === '') continue;
      void answer(JSON.parse(line) as Message).then((reply) => {
        if (reply !== undefined) process.stdout.write(`${JSON.stringify(reply)}\n`);
      });
    }
  }
}

if (import.meta.main) await serveStdio();
