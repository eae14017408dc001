// The session events an operator wants in the log and the call record: tools and hosted MCP calls
// (tool-runs.ts), approvals, MCP, handoffs, guardrails. (Errors are logged by the Upstream from its
// start; see upstream.ts.)
import type { RealtimeSession } from '@openai/agents/realtime';
import { keepOutOfHistory, sayInstead, trippedInfo } from '../agents/guardrails.ts';
import type { CallContext, Line } from '../agents/line.ts';
import { errorMessage, type Logger } from '../log/logger.ts';
import type { CallRecord } from './record.ts';
import { clip, MAX_TOOL_NAME_CHARS, MAX_TOOL_RUNS_KEPT, MAX_TOOL_TEXT_CHARS, observeToolRuns, type OnToolRun } from './tool-runs.ts';

export interface ObserveOptions {
  record: CallRecord;
  log: Logger;
  approvals: 'approve' | 'reject';
  line: Line;
  /** Each tool run as it ends (the server counts them in /metrics). */
  onToolRun?: OnToolRun;
}

export function observeSession(session: RealtimeSession<CallContext>, { record, log, approvals, line, onToolRun }: ObserveOptions): void {
  const toolRuns = observeToolRuns(session, record, log, onToolRun);

  // Hosted MCP approvals are asked for by the upstream, in any number: the record keeps as many
  // as it keeps tool runs, and counts the rest.
  session.on('tool_approval_requested', (_ctx, _agent, request) => {
    const raw = request.approvalItem.rawItem as { name?: string; callId?: string };
    const tool = clip(raw.name ?? 'unknown', MAX_TOOL_NAME_CHARS);
    const decision = approvals === 'approve' ? 'approved' : 'rejected';
    if (decision === 'rejected') toolRuns.rejected(raw.name ?? 'unknown', typeof raw.callId === 'string' ? raw.callId : undefined);
    if (record.approvals.length < MAX_TOOL_RUNS_KEPT) record.approvals.push({ tool, decision });
    else record.approvalsNotKept = (record.approvalsNotKept ?? 0) + 1;
    log.info('tool approval', { tool, decision });
    const settle = approvals === 'approve' ? session.approve(request.approvalItem) : session.reject(request.approvalItem);
    settle.catch((error: unknown) => log.warn('tool approval failed', { tool, error: errorMessage(error) }));
  });

  session.on('mcp_tools_changed', (tools) => {
    // The upstream lists them: one line, of bounded length, however many it lists.
    log.info('mcp tools available', { tools: clip(tools.map((t) => t.name).join(','), MAX_TOOL_TEXT_CHARS) || 'none' });
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
    record.guardrails.push({ name: info.guardrail, agent: line.agentId, atMs: Date.now() - record.startedAt, message: info.say });
    log.warn('guardrail tripped', { guardrail: info.guardrail, agent: line.agentId });
  });

  // Who said what, for the record: an agent item belongs to the agent that had the call then.
  session.on('history_added', (item) => {
    if (item.type === 'message' && item.role === 'assistant') record.spokenBy.set(item.itemId, line.agentId);
  });

  if (log.enabled('debug')) observeTurns(session, log);
}

/** LOG_LEVEL=debug: the shape of the conversation (who speaks, barge-ins), never its audio; its words come redacted at the call's end (record.ts). */
function observeTurns(session: RealtimeSession<CallContext>, log: Logger): void {
  session.on('audio_start', () => log.debug('agent speaking'));
  session.on('audio_stopped', () => log.debug('agent stopped speaking'));
  session.on('audio_interrupted', () => log.debug('caller interrupted the agent'));
  session.on('history_added', (item) => {
    if (item.type === 'message') log.debug('turn added', { role: item.role });
    else log.debug('item added', { type: item.type });
  });
}
