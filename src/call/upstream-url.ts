// Where a call's Realtime session connects. The override exists for proxies, compatible gateways
// and the test suite's fake server.

export const OPENAI_REALTIME_URL = 'wss://api.openai.com/v1/realtime';

export function upstreamUrl(model: string, override?: string): string {
  const url = new URL(override || OPENAI_REALTIME_URL);
  if (!url.searchParams.has('model')) url.searchParams.set('model', model);
  return url.toString();
}
