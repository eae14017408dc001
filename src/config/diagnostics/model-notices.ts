// Warnings about the models a valid config names (globally and per agent): an announced shutdown
// (an error from its date on), and a reasoning effort for a model that does not reason. Positions
// are added by the loader.
import type { PathKey } from '../interpolate.ts';
import type { Notice } from './issues.ts';
import { DEFAULT_REALTIME_MODEL, isReasoningModel, retirementOf, shutdownText } from '../models.ts';
import type { Config } from '../schema/schema.ts';

export function modelNotices(config: Config, today: string): Notice[] {
  const notices: Notice[] = [];
  const shutdown = (path: PathKey[], model: string) => {
    const retirement = retirementOf(model);
    if (retirement === undefined) return;
    const { text, passed } = shutdownText(retirement.shutdown, today);
    const advice = `${text}; use ${retirement.replacement}`;
    notices.push({
      path,
      at: 'value',
      severity: passed ? 'error' : 'warning',
      message: `${model} ${advice}`,
      withoutInput: `this model ${advice}`,
    });
  };
  shutdown(['openai', 'model'], config.openai.model);
  shutdown(['openai', 'transcription', 'model'], config.openai.transcription.model);
  for (const [id, agent] of Object.entries(config.agents)) {
    const model = agent.transcription?.model;
    if (model !== undefined) shutdown(['agents', id, 'transcription', 'model'], model);
  }

  if (!isReasoningModel(config.openai.model)) {
    const message =
      `openai.model does not reason (only the gpt-realtime-2 family does), so the API ignores or refuses this; ` +
      `remove it or use ${DEFAULT_REALTIME_MODEL}`;
    const reasoning = (path: PathKey[]) => notices.push({ path, at: 'key', severity: 'warning', message });
    if (config.openai.reasoning) reasoning(['openai', 'reasoning']);
    for (const [id, agent] of Object.entries(config.agents)) if (agent.reasoning) reasoning(['agents', id, 'reasoning']);
  }
  return notices;
}
