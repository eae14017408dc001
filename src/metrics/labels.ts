// The values /metrics labels may take. Every label value is a series Prometheus (and this process)
// keeps for good, so none is taken from what a peer sends: tool names are those the config now in
// force declares (its tools, its MCP servers' allowed tools, a local server's listed tools), end
// reasons those of END_REASONS (call/end-reason.ts). Anything else is counted under `other`.
import type { AgentSet } from '../agents/compile.ts';
import { McpConnection } from '../agents/mcp.ts';
import { isEndReason } from '../call/end-reason.ts';
import { IMPLICIT_TOOLS } from '../config/schema/tool-schema.ts';

/** The label value of everything the config does not name. */
export const OTHER_LABEL = 'other';

/** Hosted MCP tools not in allowed_tools, named by a configured server's listing: at most this many get labels of their own. */
export const MAX_LISTED_TOOL_LABELS = 50;

/** The `reason` label of an ended call: one of END_REASONS, `unknown` if it had none, else `other`. */
export function endReasonLabel(reason: string | undefined): string {
  if (reason === undefined) return 'unknown';
  return isEndReason(reason) ? reason : OTHER_LABEL;
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
