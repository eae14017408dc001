// The session events an operator wants in the log and the call record: tools (tool-runs.ts),
// approvals, MCP, handoffs, guardrails. (Errors are logged by the Upstream from its start; see
// upstream.ts.)
import type { RealtimeSession } from '@openai/agents/realtime';
import { keepOutOfHistory, sayInstead, trippedInfo } from '../agents/guardrails.ts';
import type { CallContext, Line } from '../agents/line.ts';
import { errorMessage, type Logger } from '../log/logger.ts';
import type { CallRecord } from './record.ts';
import { observeToolRuns } from './tool-runs.ts';

export interface ObserveOptions {
  record: CallRecord;
  log: Logger;
  approvals: 'approve' | 'reject';
  line: Line;
}

export function observeSession(session: RealtimeSession<CallContext>, { record, log, approvals, line }: ObserveOptions): void {
  observeToolRuns(session, record, log);

  session.on('tool_approval_requested', (_ctx, _agent, request) => {
    const tool = (request.approvalItem.rawItem as { name?: string }).name ?? 'unknown';
    const decision = approvals === 'approve' ? 'approved' : 'rejected';
    record.approvals.push({ tool, decision });
    log.info('tool approval', { tool, decision });
    const settle = approvals === 'approve' ? session.approve(request.approvalItem) : session.reject(request.approvalItem);
    settle.catch((error: unknown) => log.warn('tool approval failed', { tool, error: errorMessage(error) }));
  });

  session.on('mcp_tools_changed', (tools) => {
    log.info('mcp tools available', { tools: tools.map((t) => t.name).join(',') || 'none' });
  });

  session.on('mcp_tool_call_completed', (_ctx, _agent, call) => {
    record.tools.push({ name: call.name, arguments: call.arguments, result: call.output ?? undefined });
    log.info('mcp tool call completed', { tool: call.name, status: call.status });
  });

  session.on('agent_handoff', (_ctx, from, to) => {
    log.info('handoff', { from: from.name, to: to.name });
    // line.agentId has already moved (the handoff's onHandoff ran first).
    record.handoffs.push({ from: record.handoffs.at(-1)?.to ?? record.agent ?? from.name, to: line.agentId, atMs: Date.now() - record.startedAt });
  });

  // The SDK has cut the answer off; the caller hears the guardrail's message instead.
  const say = sayInstead(session);
  const blank = keepOutOfHistory(session);
  session.on('guardrail_tripped', (_ctx, _agent, error, { itemId }) => {
    const info = trippedInfo(error);
    if (!info) return;
    say(info.say);
    blank(itemId);
    record.guardrails.push({ name: info.guardrail, agent: line.agentId, atMs: Date.now() - record.startedAt });
    log.warn('guardrail tripped', { guardrail: info.guardrail, agent: line.agentId });
  });

  // Who said what, for the record: an agent item belongs to the agent that had the call then.
  session.on('history_added', (item) => {
    if (item.type === 'message' && item.role === 'assistant') record.spokenBy.set(item.itemId, line.agentId);
  });

  if (log.enabled('debug')) observeTurns(session, log);
}

/** LOG_LEVEL=debug: the shape of the conversation (who speaks, barge-ins), never its audio or text. */
function observeTurns(session: RealtimeSession<CallContext>, log: Logger): void {
  session.on('audio_start', () => log.debug('agent speaking'));
  session.on('audio_stopped', () => log.debug('agent stopped speaking'));
  session.on('audio_interrupted', () => log.debug('caller interrupted the agent'));
  session.on('history_added', (item) => {
    if (item.type === 'message') log.debug('turn added', { role: item.role });
    else log.debug('item added', { type: item.type });
  });
}
