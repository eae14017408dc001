// Every tool run on a call, for its record: arguments, result or error, and how long it took;
// and the filler the agent says while a slow one runs (see agents/filler.ts).
import type { RealtimeSession } from '@openai/agents/realtime';
import { fillerEvent, fillerFor } from '../agents/filler.ts';
import type { CallContext } from '../agents/line.ts';
import { takeFailure } from '../agents/tool-outcome.ts';
import { errorMessage, type Logger } from '../log/logger.ts';
import type { CallRecord, ToolUse } from './record.ts';

interface Running {
  use: ToolUse;
  startedAt: number;
  filler?: Timer;
}

const callIdOf = (toolCall: unknown): string => String((toolCall as { callId?: unknown }).callId ?? '');

export function observeToolRuns(session: RealtimeSession<CallContext>, record: CallRecord, log: Logger): void {
  const running = new Map<string, Running>();

  session.on('agent_tool_start', (_ctx, agent, tool, { toolCall }) => {
    const use: ToolUse = { name: tool.name, arguments: 'arguments' in toolCall ? String(toolCall.arguments) : '' };
    record.tools.push(use);
    const run: Running = { use, startedAt: performance.now() };
    running.set(callIdOf(toolCall), run);
    log.info('tool call', { tool: tool.name });
    const filler = fillerFor(agent, tool.name);
    if (filler) run.filler = setTimeout(() => sayFiller(session, filler.say, tool.name, log), filler.afterMs);
  });

  session.on('agent_tool_end', (ctx, _agent, tool, result, { toolCall }) => {
    const run = running.get(callIdOf(toolCall));
    running.delete(callIdOf(toolCall));
    clearTimeout(run?.filler);
    const use = run?.use ?? record.tools.findLast((t) => t.name === tool.name && t.result === undefined);
    if (!use) return;
    use.result = result;
    if (takeFailure(ctx, result)) use.error = result;
    if (run) use.durationMs = Math.round(performance.now() - run.startedAt);
  });

  // The call may end while a tool runs: no filler goes to a closed session.
  session.transport.on('connection_change', (status) => {
    if (status !== 'disconnected') return;
    for (const run of running.values()) clearTimeout(run.filler);
  });
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
