// What the compiled agents need from outside the YAML, set up once when `serve` starts: the local
// MCP servers (connected before listening, shared by every call, closed on shutdown) and the
// secret that signs http tool requests. A required server that cannot be reached stops `serve`
// with a line that names it and where it is written; an optional one is a warning.
import { ConfigErrors, formatError, type ConfigError } from '../config/diagnostics/errors.ts';
import type { PathKey } from '../config/interpolate.ts';
import { mcpKind } from '../config/schema/mcp-schema.ts';
import { formatPath } from '../config/diagnostics/positions.ts';
import type { Config } from '../config/schema/schema.ts';
import { errorMessage, type Logger } from '../log/logger.ts';
import { Environment } from '../server/settings.ts';
import { McpConnection } from './mcp.ts';

export interface ToolRuntime {
  /** Connected local MCP servers by id; an optional one that failed is absent. */
  readonly mcp: ReadonlyMap<string, McpConnection>;
  /** TOOL_SIGNING_SECRET, for http tools with `sign: true`. */
  readonly signingSecret?: string;
  close(): Promise<void>;
}

export interface RuntimeSource {
  config: Config;
  locate(path: PathKey[]): { line: number; col: number };
}

export async function startToolRuntime(
  { config, locate }: RuntimeSource,
  file: string,
  env: Record<string, string | undefined>,
  log: Logger,
): Promise<ToolRuntime> {
  const at = (path: PathKey[], message: string): ConfigError => ({ file, ...locate(path), path: formatPath(path), message });
  const errors: ConfigError[] = [];
  const signingSecret = new Environment(env).toolSigningSecret();
  for (const [id, tool] of Object.entries(config.tools)) {
    if (tool.http?.sign && !signingSecret) {
      errors.push(at(['tools', id, 'http', 'sign'], 'sign: true needs TOOL_SIGNING_SECRET in the environment (or .env); the receiver checks signatures with the same secret'));
    }
  }
  if (errors.length > 0) throw new ConfigErrors(errors);

  const mcp = new Map<string, McpConnection>();
  const close = async () => void (await Promise.all([...mcp.values()].map((server) => server.close())));
  const local = Object.entries(config.mcp_servers).filter(([, server]) => mcpKind(server) !== 'hosted');
  await Promise.all(
    local.map(async ([id, server]) => {
      const connection = new McpConnection(id, server, log);
      try {
        await connection.connect();
        mcp.set(id, connection);
        log.info('mcp server connected', { server: id, tools: connection.tools.map((t) => t.name).join(',') || 'none' });
      } catch (error) {
        await connection.close();
        const what = mcpKind(server) === 'stdio' ? `could not start the MCP server (${server.command})` : `could not connect to the MCP server at ${serverUrl(server.url)}`;
        const problem = at(['mcp_servers', id], `${what}: ${errorMessage(error)}`);
        if (server.optional) log.warn(`${formatError(problem)}; optional, so the agents run without it`);
        else errors.push({ ...problem, message: `${problem.message}; fix it, or set optional: true to serve without it` });
      }
    }),
  );
  errors.push(...nameClashes(config, mcp).map(({ path, message }) => at(path, message)));
  if (errors.length > 0) {
    await close();
    throw new ConfigErrors(errors);
  }
  return { mcp, signingSecret, close };
}

/**
 * The model calls tools by name, and the SDK refuses a session whose agent has two tools of one
 * name: every call would fail. Said at startup instead, where the second one is listed.
 */
function nameClashes(config: Config, mcp: ReadonlyMap<string, McpConnection>): { path: PathKey[]; message: string }[] {
  const clashes: { path: PathKey[]; message: string }[] = [];
  for (const [agentId, agent] of Object.entries(config.agents)) {
    const owner = new Map<string, string>(agent.tools.map((tool) => [tool, `tools.${tool}`]));
    agent.mcp_servers.forEach((label, index) => {
      const server = mcp.get(label);
      const allowed = config.mcp_servers[label]?.allowed_tools;
      for (const { name } of server?.tools ?? []) {
        if (allowed && !allowed.includes(name)) continue;
        const other = owner.get(name);
        if (other === undefined) owner.set(name, `the ${label} server's`);
        else {
          clashes.push({
            path: ['agents', agentId, 'mcp_servers', index],
            message: `the ${label} server's tool "${name}" has the same name as ${other === `tools.${name}` ? other : `${other} tool`}; leave one out (allowed_tools) or rename it`,
          });
        }
      }
    });
  }
  return clashes;
}

/** The URL without its query (a token can ride there). */
function serverUrl(url: string | undefined): string {
  return (url ?? '').replace(/[?#].*$/, '');
}
