// Asks OpenAI's REST API about each configured model (`GET /v1/models/{model}`): whether this key
// may use it, and any shutdown date announced after this release. The API is the judge; when it
// cannot be reached, doctor says so once and leaves the verdict to the built-in table.
import type { Severity } from '../config/index.ts';
import { retirementOf, shutdownText } from '../config/models.ts';
import { errorMessage } from '../log/logger.ts';

export const MODELS_API_TIMEOUT_MS = 5000;

/** A config notice's severity, or a check that passed. */
export type Level = 'ok' | Severity;
/** Doctor's printed column: a warning reads `warn`, as it always has (scripts and tests read it). */
export const LEVEL_LABEL: Record<Level, string> = { ok: 'ok', warning: 'warn', error: 'error' };
export interface Finding {
  level: Level;
  message: string;
}

export interface ConfiguredModel {
  /** Where it is set, e.g. `openai.model`. */
  key: string;
  model: string;
  /** What to suggest if the key cannot use it. */
  current: string;
}

export interface ModelsApiOptions {
  /** REST base URL, e.g. https://api.openai.com/v1 (OPENAI_BASE_URL, as the openai package reads it). */
  baseUrl: string;
  apiKey: string;
  /** Named in messages about the key: `OPENAI_API_KEY` or `openai.api_key`. */
  keyName: string;
  today: string;
  timeoutMs?: number;
}

export async function checkModels(models: readonly ConfiguredModel[], options: ModelsApiOptions): Promise<Finding[]> {
  const findings: Finding[] = [];
  const base = options.baseUrl.replace(/\/+$/, '');
  for (const configured of models) {
    const { key, model } = configured;
    let response: Response;
    try {
      response = await fetch(`${base}/models/${encodeURIComponent(model)}`, {
        headers: { authorization: `Bearer ${options.apiKey}` },
        signal: AbortSignal.timeout(options.timeoutMs ?? MODELS_API_TIMEOUT_MS),
      });
    } catch (error) {
      findings.push({
        level: 'warning',
        message: `cannot reach the OpenAI API at ${base} (${unreachable(error)}); model shutdowns were checked against the built-in table only`,
      });
      return findings;
    }
    const body = (await response.json().catch(() => undefined)) as { shutdown_date?: unknown } | undefined;
    if (response.status === 401) {
      findings.push({ level: 'error', message: `${options.keyName} was refused (401); create a key at https://platform.openai.com/api-keys and set it` });
      return findings;
    }
    if (response.status === 404) {
      findings.push({
        level: 'error',
        message: `${key}: ${model} is not available to this API key (404); check the name, or use ${configured.current}`,
      });
    } else if (response.status === 403) {
      findings.push({ level: 'error', message: `${key}: this API key may not use ${model} (403); check the key's project and its model permissions` });
    } else if (!response.ok) {
      findings.push({ level: 'warning', message: `${key}: the OpenAI API answered ${response.status} for ${model}; not checked` });
    } else {
      findings.push(shutdownFinding(key, model, body?.shutdown_date, options.today));
    }
  }
  return findings;
}

function shutdownFinding(key: string, model: string, date: unknown, today: string): Finding {
  if (typeof date !== 'string' || !/^\d{4}-\d{2}-\d{2}/.test(date)) {
    return { level: 'ok', message: `${key}: ${model} is available to this API key, with no shutdown announced` };
  }
  const { text, passed } = shutdownText(date.slice(0, 10), today);
  const replacement = retirementOf(model)?.replacement;
  const advice = replacement ? `use ${replacement}` : 'move to a current model (see OpenAI\'s deprecations page)';
  return { level: passed ? 'error' : 'warning', message: `${key}: OpenAI says ${model} ${text}; ${advice}` };
}

const NETWORK_ERRORS: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ConnectionRefused: 'connection refused',
  ENOTFOUND: 'host not found: check DNS',
  ECONNRESET: 'connection reset',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'TLS certificate not trusted: check the proxy',
};

function unreachable(error: unknown): string {
  if (error instanceof DOMException && error.name === 'TimeoutError') return 'no answer in time: check the network or proxy';
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') return NETWORK_ERRORS[code] ?? code;
  return errorMessage(error);
}
