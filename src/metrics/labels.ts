// The values /metrics labels may take. Every label value is a series Prometheus (and this process)
// keeps for good, so none is taken from what a peer sends: tool names are those the config now in
// force declares (its tools, its MCP servers' allowed tools, a local server's listed tools), end
// reasons those of EndReason. Anything else is counted under `other`.
import type { AgentSet } from '../agents/compile.ts';
import { McpConnection } from '../agents/mcp.ts';
import type { EndReason } from '../call/record.ts';
import { IMPLICIT_TOOLS } from '../config/tool-schema.ts';

/** The label value of everything the config does not name. */
export const OTHER_LABEL = 'other';

/** Hosted MCP tools not in allowed_tools, named by a configured server's listing: at most this many get labels of their own. */
export const MAX_LISTED_TOOL_LABELS = 50;

// A Record of every EndReason: a reason added there and not here fails to compile.
const END_REASONS: Record<EndReason, true> = {
  caller_hangup: true,
  stream_closed: true,
  bad_token: true,
  no_start: true,
  unknown_agent: true,
  frame_too_large: true,
  upstream_failed: true,
  upstream_timeout: true,
  upstream_closed: true,
  max_duration: true,
  idle: true,
  agent_hangup: true,
  transferred: true,
  shutdown: true,
};

/** The `reason` label of an ended call: one of EndReason, `unknown` if it had none, else `other`. */
export function endReasonLabel(reason: string | undefined): string {
  if (reason === undefined) return 'unknown';
  return Object.hasOwn(END_REASONS, reason) ? reason : OTHER_LABEL;
}

/**
 * Whether the config in `agentSet` names a tool `name`: one of its tools (hang_up included), one
 * in an MCP server's allowed_tools, or one a connected local MCP server listed (the operator runs
 * those servers; a restart may list new names, read here as they are now).
 */
export function declaresTool(agentSet: AgentSet, name: string): boolean {
  const { config } = agentSet;
  if (Object.hasOwn(config.tools, name) || Object.hasOwn(IMPLICIT_TOOLS, name)) return true;
  for (const server of Object.values(config.mcp_servers)) if (server.allowed_tools?.includes(name)) return true;
  for (const agent of agentSet.agents.values()) {
    for (const server of agent.mcpServers) if (server instanceof McpConnection && server.tools.some((t) => t.name === name)) return true;
  }
  return false;
}
