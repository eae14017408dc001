// Config -> AgentSet: the immutable, compiled form of agents.yaml that every call starts from.
import { handoff, hostedMcpTool, type RunContext } from '@openai/agents';
import { RealtimeAgent, type RealtimeContextData, type RealtimeOutputGuardrail } from '@openai/agents/realtime';
import type { Config, McpServerConfig } from '../config/index.ts';
import { mcpKind } from '../config/schema/mcp-schema.ts';
import { IMPLICIT_TOOLS } from '../config/schema/tool-schema.ts';
import { filler, setFillers, type Filler } from './filler.ts';
import { compileGuardrails } from './guardrails.ts';
import { compileRedactor, type Redactor } from '../privacy/redact.ts';
import { renderCallFacts, type CallContext } from './line.ts';
import type { ToolRuntime } from './runtime.ts';
import { agentSessionSettings, sessionConfig, type SessionConfig } from './session-settings.ts';
import { compileTool } from './tools.ts';

type CompiledTool = ReturnType<typeof compileTool>;

export interface AgentSet {
  readonly config: Config;
  /** Compiled agents by their YAML key. */
  readonly agents: ReadonlyMap<string, RealtimeAgent<CallContext>>;
  /** The YAML key of the agent that answers calls. */
  readonly entryId: string;
  readonly model: string;
  /** Session settings for the whole call. */
  readonly session: SessionConfig;
  /** Session settings of each agent, applied while it has the call. */
  readonly agentSettings: ReadonlyMap<string, SessionConfig>;
  /** Output guardrails of every agent (each checks which agent spoke). */
  readonly guardrails: RealtimeOutputGuardrail[];
  /** privacy.redact: applied to what a call keeps and sends on; a call keeps the one it started with. */
  readonly redact: Redactor;
}

function compileHostedMcpServer(label: string, server: McpServerConfig) {
  const common = { serverLabel: label, serverUrl: server.url!, headers: server.headers, allowedTools: server.allowed_tools };
  // The SDK's option types tell the two approval modes apart by literal.
  return server.require_approval === 'always'
    ? hostedMcpTool({ ...common, requireApproval: 'always' })
    : hostedMcpTool({ ...common, requireApproval: 'never' });
}

/**
 * `runtime` holds the connected local MCP servers and the signing secret (see runtime.ts); without
 * it (`check`, `doctor`) local MCP servers are left out and signed requests fail as tool errors.
 */
export function compileAgents(config: Config, runtime?: Pick<ToolRuntime, 'mcp' | 'signingSecret'>): AgentSet {
  const tools = new Map<string, CompiledTool>();
  for (const [id, implicit] of Object.entries(IMPLICIT_TOOLS)) tools.set(id, compileTool(id, { ...implicit, parameters: {}, background: false, needs_approval: false }));
  for (const [id, toolConfig] of Object.entries(config.tools)) tools.set(id, compileTool(id, toolConfig, runtime?.signingSecret));
  const hosted = (label: string) => mcpKind(config.mcp_servers[label]!) === 'hosted';

  const agents = new Map<string, RealtimeAgent<CallContext>>();
  for (const [id, agent] of Object.entries(config.agents)) {
    const local = agent.mcp_servers.filter((label) => !hosted(label)).flatMap((label) => runtime?.mcp.get(label) ?? []);
    const realtimeAgent = new RealtimeAgent<CallContext>({
      name: agent.name,
      // Rendered per call when it names call facts; the SDK asks at every session.update.
      instructions: agent.instructions.includes('{{call.')
        ? (context) => renderCallFacts(agent.instructions, context.context.line.facts)
        : agent.instructions,
      voice: agent.voice,
      handoffDescription: agent.handoff_description,
      tools: [
        // References were checked by the config loader, so every lookup succeeds.
        ...agent.mcp_servers.filter(hosted).map((label) => compileHostedMcpServer(label, config.mcp_servers[label]!)),
        ...agent.tools.map((name) => tools.get(name)!),
      ],
      mcpServers: local,
    });
    setFillers(realtimeAgent, fillersOf(config, agent.tools, local));
    agents.set(id, realtimeAgent);
  }
  // Handoffs may form cycles (A hands to B, B back to A), so they are wired once all agents exist.
  // The SDK runs onHandoff before it builds the new agent's session.update: the call's active
  // agent moves first, so that update carries the new agent's own settings.
  for (const [id, agent] of Object.entries(config.agents)) {
    agents.get(id)!.handoffs = agent.handoffs.map((target) =>
      handoff(agents.get(target)!, {
        onHandoff: (context: RunContext<RealtimeContextData<CallContext>>) => {
          context.context.line.agentId = target;
        },
      }),
    );
  }

  const entryId = config.entry ?? Object.keys(config.agents)[0]!;
  return {
    config,
    agents,
    entryId,
    model: config.openai.model,
    session: sessionConfig(config),
    agentSettings: agentSessionSettings(config),
    guardrails: compileGuardrails(config, agents),
    redact: compileRedactor(config.privacy.redact),
  };
}

/** Each tool's filler: its own delay, else its MCP server's, else the global one; built-ins have none. */
function fillersOf(config: Config, declared: string[], local: { name: string; tools: { name: string }[] }[]) {
  const global = config.filler_after_ms;
  return (toolName: string): Filler | undefined => {
    const tool = declared.includes(toolName) ? config.tools[toolName] : undefined;
    if (tool) return tool.hang_up || tool.transfer ? undefined : filler(tool.filler_after_ms, global, config.filler_say);
    const server = local.find((s) => s.tools.some((t) => t.name === toolName));
    return server ? filler(config.mcp_servers[server.name]?.filler_after_ms, global, config.filler_say) : undefined;
  };
}

/** One line per agent for `check` and the startup log. */
export function describeAgentSet(set: AgentSet): string[] {
  return Object.entries(set.config.agents).map(([id, agent]) => {
    const parts = [
      `agent ${id}${id === set.entryId ? ' (entry)' : ''}: voice ${agent.voice ?? 'default'}`,
      `tools [${agent.tools.join(', ')}]`,
      `mcp [${agent.mcp_servers.join(', ')}]`,
    ];
    if (agent.handoffs.length > 0) parts.push(`handoffs [${agent.handoffs.join(', ')}]`);
    return parts.join(', ');
  });
}
