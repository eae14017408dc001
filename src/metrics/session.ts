// Metrics from a call's Realtime session events, which come once per turn or tool call, never
// per audio frame: tool calls with outcome and latency, and how soon the agent answers.
import type { Upstream } from '../call/upstream.ts';
import type { Metrics, ToolOutcome } from './metrics.ts';

/** The text the SDK hands the model when a tool threw (agents-core's default tool error function). */
const SDK_TOOL_ERROR = 'An error occurred while running the tool';

export function watchSession(metrics: Metrics, upstream: Upstream, approvals: 'approve' | 'reject'): void {
  const { session, transport } = upstream;
  const startedAt = new Map<string, number>();
  const rejected = new Set<string>();

  session.on('agent_tool_start', (_ctx, _agent, _tool, { toolCall }) => {
    startedAt.set(callIdOf(toolCall), performance.now());
  });
  session.on('agent_tool_end', (_ctx, _agent, tool, result, { toolCall }) => {
    const id = callIdOf(toolCall);
    const since = startedAt.get(id);
    startedAt.delete(id);
    const outcome: ToolOutcome = rejected.delete(id) ? 'rejected' : result.startsWith(SDK_TOOL_ERROR) ? 'error' : 'ok';
    metrics.toolCall(tool.name, outcome, since === undefined ? undefined : performance.now() - since);
  });
  // The `approvals` policy decides every request (see observe.ts); a rejected tool still ends
  // with agent_tool_end, carrying the rejection the model is told.
  session.on('tool_approval_requested', (_ctx, _agent, request) => {
    if (approvals === 'reject') rejected.add(callIdOf(request.approvalItem.rawItem));
  });
  session.on('mcp_tool_call_completed', (_ctx, _agent, call) => {
    metrics.toolCall(call.name, call.status === 'completed' ? 'ok' : 'error');
  });

  // The API's VAD says the caller's turn ended; the session says when the agent's audio began.
  // Approximate by design: the VAD's silence window before speech_stopped, and the phone network
  // both ways, are not in it. A response the agent starts without a caller turn is not counted.
  let speechStoppedAt: number | undefined;
  transport.on('input_audio_buffer.speech_stopped', () => {
    speechStoppedAt = performance.now();
  });
  session.on('audio_start', () => {
    if (speechStoppedAt === undefined) return;
    metrics.replied(performance.now() - speechStoppedAt);
    speechStoppedAt = undefined;
  });
}

function callIdOf(item: unknown): string {
  const { callId, id } = item as { callId?: unknown; id?: unknown };
  return String(callId ?? id ?? '');
}
