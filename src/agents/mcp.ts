// One local MCP server (a child process on stdio, or streamable HTTP), connected once and shared
// by every call, as the SDK's MCPServer that agents list in `mcpServers`. It keeps the calls
// going whatever the server does: a tool call gets `timeout_ms`; a server that dies is restarted
// with backoff, and meanwhile its tools answer with an error the model can speak about, and the
// tool list the calls were offered stays (listing never fails a call's session setup).
import { MCPServerStdio, MCPServerStreamableHttp, type CallToolResultContent, type MCPServer, type MCPToolErrorFunction } from '@openai/agents';
import { DEFAULT_MCP_TIMEOUT_MS, mcpKind, type McpServerConfig } from '../config/schema/mcp-schema.ts';
import { errorMessage, type Logger } from '../log/logger.ts';
import { toolFailure } from './tool-outcome.ts';

type Tools = Awaited<ReturnType<MCPServer['listTools']>>;

/** Waits between restart attempts; the last repeats. */
export const RESTART_BACKOFF_MS = [250, 500, 1000, 2000, 5000, 10_000, 30_000];

/** A failure already worded for the model. */
class ToolError extends Error {}

// The SDK logs MCP errors itself (as "object"); ours are the ones with the server's name.
const quietSdkLogger = { namespace: 'switchboard:mcp', debug() {}, error() {}, warn() {}, dontLogModelData: true, dontLogToolData: true };

export class McpConnection implements MCPServer {
  readonly name: string;
  readonly cacheToolsList: boolean;
  readonly toolFilter: MCPServer['toolFilter'];
  readonly errorFunction: MCPToolErrorFunction;
  readonly #server: MCPServerStdio | MCPServerStreamableHttp;
  readonly #timeoutMs: number;
  readonly #log: Logger;
  #tools: Tools = [];
  #state: 'down' | 'up' | 'restarting' | 'closed' = 'down';
  #attempt = 0;
  #restartTimer: Timer | undefined;

  constructor(id: string, config: McpServerConfig, log: Logger) {
    this.name = id;
    this.cacheToolsList = config.cache_tools_list ?? true;
    this.toolFilter = config.allowed_tools ? { allowedToolNames: config.allowed_tools } : undefined;
    this.#timeoutMs = config.timeout_ms ?? DEFAULT_MCP_TIMEOUT_MS;
    this.#log = log.child({ server: id });
    const common = { name: id, cacheToolsList: false, logger: quietSdkLogger, clientSessionTimeoutSeconds: this.#timeoutMs / 1000, timeout: this.#timeoutMs };
    this.#server =
      mcpKind(config) === 'stdio'
        ? new MCPServerStdio({ ...common, command: config.command!, args: config.args, env: config.env, cwd: config.cwd })
        : new MCPServerStreamableHttp({ ...common, url: config.url!, requestInit: { headers: config.headers ?? {} } });
    // The SDK turns a tool's thrown error into this text for the model; it is marked as a failure
    // for the call record.
    this.errorFunction = ({ context, error }) =>
      toolFailure(context, error instanceof ToolError ? error.message : `the ${id} server failed to run it: ${errorMessage(error)}`);
  }

  get isUp(): boolean {
    return this.#state === 'up';
  }

  /** The tools as last listed (for filler delays and name checks). */
  get tools(): Tools {
    return this.#tools;
  }

  /** Connects and lists the tools; throws what went wrong (startup decides what that means). */
  async connect(): Promise<void> {
    await this.#server.connect();
    this.#tools = await this.#server.listTools();
    this.#state = 'up';
    this.#watch();
  }

  async close(): Promise<void> {
    this.#state = 'closed';
    clearTimeout(this.#restartTimer);
    await this.#server.close().catch(() => {});
  }

  async listTools(): Promise<Tools> {
    if (this.#state !== 'up') return this.#tools;
    try {
      this.#tools = await this.#server.listTools();
    } catch (error) {
      this.#lost(error);
    }
    return this.#tools;
  }

  async callTool(toolName: string, args: Record<string, unknown> | null, meta?: Record<string, unknown> | null): Promise<CallToolResultContent> {
    if (this.#state !== 'up') throw new ToolError(`the ${this.name} server is restarting; try again in a moment`);
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(new ToolError(`the ${this.name} server did not answer within ${this.#timeoutMs} ms`)), this.#timeoutMs);
    try {
      const result = await this.#server.callToolResult(toolName, args, meta, { signal: abort.signal });
      // The server's own "this failed" is an error for the record too, in the server's words.
      if (result.isError) throw new ToolError(`${toolName} failed: ${textOf(result.content) || 'the server reported an error'}`);
      return result.content as CallToolResultContent;
    } catch (error) {
      if (error instanceof ToolError) throw error;
      // A JSON-RPC error (numeric code) is the server answering; anything else lost it.
      if (typeof (error as { code?: unknown }).code === 'number') throw new ToolError(`${toolName} failed: ${errorMessage(error)}`);
      this.#lost(error);
      throw new ToolError(`the ${this.name} server stopped while running ${toolName}; it is being restarted`);
    } finally {
      clearTimeout(timer);
    }
  }

  async invalidateToolsCache(): Promise<void> {
    await this.#server.invalidateToolsCache();
  }

  /** The SDK's client reports a closed transport (the child exited): restart without waiting for a call to find out. */
  #watch(): void {
    const client = (this.#server as unknown as { underlying?: { session?: { onclose?: () => void } | null } }).underlying?.session;
    if (!client) return;
    const previous = client.onclose;
    client.onclose = () => {
      previous?.();
      if (this.#state === 'up') this.#lost(new Error('the connection closed'));
    };
  }

  #lost(error: unknown): void {
    if (this.#state !== 'up') return;
    this.#state = 'restarting';
    this.#log.warn('mcp server lost', { error: errorMessage(error) });
    this.#scheduleRestart();
  }

  #scheduleRestart(): void {
    const delay = RESTART_BACKOFF_MS[Math.min(this.#attempt, RESTART_BACKOFF_MS.length - 1)]!;
    this.#attempt += 1;
    this.#restartTimer = setTimeout(() => void this.#restart(), delay);
  }

  async #restart(): Promise<void> {
    if (this.#state !== 'restarting') return;
    await this.#server.close().catch(() => {});
    try {
      await this.#server.connect();
      this.#tools = await this.#server.listTools();
    } catch (error) {
      if (this.#state !== 'restarting') return;
      this.#log.warn('mcp server restart failed', { attempt: this.#attempt, error: errorMessage(error) });
      return this.#scheduleRestart();
    }
    if (this.#state !== 'restarting') return void this.#server.close().catch(() => {});
    this.#log.info('mcp server restarted', { attempt: this.#attempt, tools: this.#tools.length });
    this.#attempt = 0;
    this.#state = 'up';
    this.#watch();
  }
}

function textOf(content: unknown): string {
  if (!Array.isArray(content)) return '';
  return content
    .map((part: { type?: unknown; text?: unknown }) => (part.type === 'text' && typeof part.text === 'string' ? part.text : ''))
    .join(' ')
    .trim()
    .slice(0, 300);
}
