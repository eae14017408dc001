// What went wrong opening a Realtime session, said so that the operator knows what to change.
// Bun's WebSocket reports a refused upgrade as "Expected 101 status code: 401" and anything
// below HTTP as "Failed to connect"; neither names the setting at fault.
import { errorMessage } from '../log/logger.ts';

const BY_STATUS: Record<string, string> = {
  '401': 'the Realtime API refused the API key (401): check OPENAI_API_KEY (it needs Realtime access)',
  '403': 'the API key may not use the Realtime API or this model (403): check the key\'s project permissions',
  '404': 'the Realtime API does not know this model or URL (404): check openai.model and OPENAI_REALTIME_URL',
  '429': 'the Realtime API is rate limiting this key or its quota is used up (429): check your OpenAI billing and limits',
};

/** One line for a failed connect; `host` is the Realtime endpoint's host (never its query). */
export function explainConnectError(error: unknown, host: string): string {
  const message = errorMessage(error);
  const status = /Expected 101 status code: (\d{3})/.exec(message)?.[1];
  if (status !== undefined) return BY_STATUS[status] ?? `the Realtime API answered HTTP ${status} instead of opening the session`;
  if (/Failed to connect|ECONNREFUSED|ENOTFOUND|getaddrinfo/i.test(message)) {
    return `cannot reach the Realtime API at ${host}: check DNS, the proxy, or OPENAI_REALTIME_URL`;
  }
  return message;
}
