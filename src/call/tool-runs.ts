// Every tool run on a call: kept in its record (arguments, result or error, how long it took),
// reported as it ends (for the metrics: a ten-minute call's tool errors show while it runs), and
// the filler the agent says while a slow one runs (see agents/filler.ts). Hosted MCP calls are
// named by the upstream, so what a record keeps of them is capped: a call whose upstream sends
// thousands of them costs a bounded amount of memory.
import type { RealtimeSession } from '@openai/agents/realtime';
import { fillerEvent, fillerFor } from '../agents/filler.ts';
import type { CallContext } from '../agents/line.ts';
import { takeFailure } from '../agents/tool-outcome.ts';
import { maskToolText } from '../agents/tools.ts';
import { errorMessage, type Logger } from '../log/logger.ts';
import type { CallRecord, ToolUse } from './record.ts';

/** Tool runs one call's record keeps; later ones are counted (record.toolsNotKept), not kept. */
export const MAX_TOOL_RUNS_KEPT = 200;
/** Longest tool name kept (OpenAI's function names stop at 64; MCP's are not bounded). */
export const MAX_TOOL_NAME_CHARS = 128;
/** Longest arguments, result or error kept of one run (what the model got is not cut). */
export const MAX_TOOL_TEXT_CHARS = 4096;

export type ToolOutcome = 'ok' | 'error' | 'rejected';

/** A tool run that has ended, as the metrics count it. */
export interface ToolRunEnded {
  /** As the SDK or the upstream named it (not clipped): the metrics decide what label it gets. */
  name: string;
  outcome: ToolOutcome;
  /** Absent for hosted MCP calls: OpenAI runs them. */
  durationMs?: number;
  /** Hosted MCP calls: whether one of the agent's configured servers listed the tool to the session. */
  listed?: boolean;
}

export type OnToolRun = (run: ToolRunEnded) => void;

/** `text` cut to `max` characters, saying so. */
export function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max)}… (${text.length - max} more characters not kept)`;
}

/** Into the record while it has room; past MAX_TOOL_RUNS_KEPT, only counted. */
export function keepToolUse(record: CallRecord, use: ToolUse): boolean {
  if (record.tools.length >= MAX_TOOL_RUNS_KEPT) {
    record.toolsNotKept = (record.toolsNotKept ?? 0) + 1;
    return false;
  }
  record.tools.push(use);
  return true;
}

interface Running {
  use: ToolUse;
  startedAt: number;
  filler?: Timer;
}

const callIdOf = (toolCall: unknown): string => String((toolCall as { callId?: unknown }).callId ?? '');
/** A rejection kept by tool name (hosted MCP approvals carry no callId), of bounded length. */
const nameKey = (tool: string): string => `name:${clip(tool, MAX_TOOL_NAME_CHARS)}`;

/** What observe.ts tells the tool runs: an approval it rejected (the SDK then ends the run with the rejection as its result). */
export interface ToolRuns {
  rejected(tool: string, callId: string | undefined): void;
}

export function observeToolRuns(session: RealtimeSession<CallContext>, record: CallRecord, log: Logger, onToolRun: OnToolRun = () => {}): ToolRuns {
  const running = new Map<string, Running>();
  // Rejections waiting for their run to end: by callId (function tools), else by tool name
  // (hosted MCP approvals carry none). Bounded: a hostile upstream can ask for endless approvals.
  const rejections = new Map<string, number>();
  const takeRejection = (key: string): boolean => {
    const n = rejections.get(key) ?? 0;
    if (n === 0) return false;
    if (n === 1) rejections.delete(key);
    else rejections.set(key, n - 1);
    return true;
  };

  session.on('agent_tool_start', (_ctx, agent, tool, { toolCall }) => {
    // The arguments may echo a secret the model saw; masked as the tool's results are.
    const args = maskToolText(tool, 'arguments' in toolCall ? String(toolCall.arguments) : '');
    const use: ToolUse = { name: clip(tool.name, MAX_TOOL_NAME_CHARS), arguments: clip(args, MAX_TOOL_TEXT_CHARS) };
    keepToolUse(record, use);
    const run: Running = { use, startedAt: performance.now() };
    running.set(callIdOf(toolCall), run);
    log.info('tool call', { tool: use.name });
    const filler = fillerFor(agent, tool.name);
    if (filler) run.filler = setTimeout(() => sayFiller(session, filler.say, use.name, log), filler.afterMs);
  });

  session.on('agent_tool_end', (ctx, _agent, tool, result, { toolCall }) => {
    const callId = callIdOf(toolCall);
    const run = running.get(callId);
    running.delete(callId);
    clearTimeout(run?.filler);
    const failed = takeFailure(ctx, result);
    const rejected = !failed && (takeRejection(callId) || takeRejection(nameKey(tool.name)));
    const durationMs = run ? Math.round(performance.now() - run.startedAt) : undefined;
    onToolRun({ name: tool.name, outcome: failed ? 'error' : rejected ? 'rejected' : 'ok', durationMs });
    const use = run?.use ?? record.tools.findLast((t) => t.name === tool.name && t.result === undefined);
    if (!use) return;
    use.result = clip(result, MAX_TOOL_TEXT_CHARS);
    if (failed) use.error = use.result;
    if (durationMs !== undefined) use.durationMs = durationMs;
  });

  // What the agent's configured hosted MCP servers listed (the SDK keeps only theirs); a
  // pre-warmed session may have had its listing before this call took it.
  let listed = new Set(session.availableMcpTools.map((t) => t.name));
  session.on('mcp_tools_changed', (tools) => {
    listed = new Set(tools.map((t) => t.name));
  });

  // Hosted MCP calls run at OpenAI: the upstream names them, and says when they are done.
  session.on('mcp_tool_call_completed', (_ctx, _agent, call) => {
    onToolRun({ name: call.name, outcome: takeRejection(nameKey(call.name)) ? 'rejected' : 'ok', listed: listed.has(call.name) });
    const name = clip(call.name, MAX_TOOL_NAME_CHARS);
    const result = call.output ?? undefined;
    keepToolUse(record, { name, arguments: clip(call.arguments, MAX_TOOL_TEXT_CHARS), result: result === undefined ? undefined : clip(result, MAX_TOOL_TEXT_CHARS) });
    log.info('mcp tool call completed', { tool: name, status: call.status });
  });

  // The call may end while a tool runs: no filler goes to a closed session.
  session.transport.on('connection_change', (status) => {
    if (status !== 'disconnected') return;
    for (const run of running.values()) clearTimeout(run.filler);
  });

  return {
    rejected(tool, callId) {
      const key = callId ? callId : nameKey(tool);
      if (rejections.has(key) || rejections.size < MAX_TOOL_RUNS_KEPT) rejections.set(key, (rejections.get(key) ?? 0) + 1);
    },
  };
}

function sayFiller(session: RealtimeSession<CallContext>, say: string, tool: string, log: Logger): void {
  if (session.transport.status !== 'connected') return;
  try {
    session.transport.sendEvent(fillerEvent(say));
    log.info('tool filler', { tool });
  } catch (error) {
    log.warn('tool filler failed', { tool, error: errorMessage(error) });
  }
}
