// `switchboard doctor`: what can be checked without placing a call. The config (with its model
// notices), the public URL, the port, the API key against the Realtime endpoint (exit 1 when it
// fails: no call would work), and each configured model as the REST API sees it (an API that
// cannot be reached there is said, not failed on: the built-in table stands in).
import { compileAgents, describeAgentSet } from '../agents/compile.ts';
import { ConfigErrors, formatError, loadConfig } from '../config/index.ts';
import { DEFAULT_REALTIME_MODEL, DEFAULT_TRANSCRIPTION_MODEL } from '../config/models.ts';
import { upstreamUrl } from '../call/upstream-url.ts';
import { portFree } from '../server/command.ts';
import { checkRealtime } from '../server/preflight.ts';
import { adminToken, publicOrigin, SettingsError, trustProxy, type Env } from '../server/settings.ts';
import { checkModels, OPENAI_BASE_URL, type Finding } from './models-api.ts';

export interface DoctorOptions {
  today: string;
  write?: (text: string) => void;
}

export async function doctor(file: string, env: Env, { today, write = (t) => process.stdout.write(t) }: DoctorOptions): Promise<number> {
  const findings = await examine(file, env, today);
  for (const { level, message } of findings) write(`${level.padEnd(6)}${message}\n`);
  const errors = findings.filter((f) => f.level === 'error').length;
  const warnings = findings.filter((f) => f.level === 'warn').length;
  write(errors > 0 ? `${errors} error(s), ${warnings} warning(s): calls will fail until the errors are fixed.\n` : `no errors, ${warnings} warning(s).\n`);
  return errors > 0 ? 1 : 0;
}

async function examine(file: string, env: Env, today: string): Promise<Finding[]> {
  let loaded;
  try {
    loaded = await loadConfig(file, env, { today });
  } catch (error) {
    if (error instanceof ConfigErrors) return error.errors.map((e) => ({ level: 'error', message: formatError(e) }));
    throw error;
  }
  const { config, notices } = loaded;
  const findings: Finding[] = notices.map((n) => ({ level: n.severity === 'error' ? 'error' : 'warn', message: formatError(n) }));
  const agentSet = compileAgents(config);
  findings.push({ level: 'ok', message: `${file}: ${Object.keys(config.agents).length} agents, model ${agentSet.model}` });
  for (const line of describeAgentSet(agentSet)) findings.push({ level: 'ok', message: line });

  findings.push(...serverFindings(env));

  const keyName = config.openai.api_key ? 'openai.api_key' : 'OPENAI_API_KEY';
  const apiKey = config.openai.api_key || env.OPENAI_API_KEY;
  if (!apiKey) {
    findings.push({ level: 'error', message: 'OPENAI_API_KEY is not set; export it or put it in .env (or set openai.api_key in the YAML)' });
    return findings;
  }
  const realtimeUrl = upstreamUrl(config.openai.model, config.openai.url || env.OPENAI_REALTIME_URL);
  const realtime = await checkRealtime(realtimeUrl, apiKey);
  findings.push(
    realtime.ok
      ? { level: 'ok', message: `the Realtime API at ${new URL(realtimeUrl).host} accepted ${keyName} for ${config.openai.model} (${realtime.ms} ms)` }
      : { level: 'error', message: realtime.reason },
  );
  const baseUrl = env.OPENAI_BASE_URL || OPENAI_BASE_URL;
  if (!/^https?:\/\/[^/]/.test(baseUrl)) throw new SettingsError('OPENAI_BASE_URL must be an http(s) URL, e.g. https://api.openai.com/v1');
  const models = [
    { key: 'openai.model', model: config.openai.model, current: DEFAULT_REALTIME_MODEL },
    { key: 'openai.transcription.model', model: config.openai.transcription.model, current: DEFAULT_TRANSCRIPTION_MODEL },
  ];
  findings.push(...(await checkModels(models, { baseUrl, apiKey, keyName, today })));
  return findings;
}

/** What `serve` would refuse or regret: the public URL, the tokens, the proxies, the port. */
function serverFindings(env: Env): Finding[] {
  const findings: Finding[] = [];
  if (!env.PUBLIC_URL) {
    findings.push({ level: 'warn', message: 'PUBLIC_URL is not set: serve needs the https origin Twilio reaches (or --insecure, for local experiments)' });
  } else {
    try {
      findings.push({ level: 'ok', message: `PUBLIC_URL ${publicOrigin(env.PUBLIC_URL)}: Twilio's stream goes to ${publicOrigin(env.PUBLIC_URL).replace(/^https/, 'wss')}/media-stream` });
    } catch (error) {
      findings.push({ level: 'error', message: (error as Error).message });
    }
  }
  if (!env.TWILIO_AUTH_TOKEN) {
    findings.push({ level: 'warn', message: "TWILIO_AUTH_TOKEN is not set: serve needs it to check Twilio's signatures (or --insecure)" });
  }
  // The same checks as serve's, so the same one line.
  for (const check of [() => adminToken(env.ADMIN_TOKEN), () => trustProxy(env.TRUST_PROXY)]) {
    try {
      check();
    } catch (error) {
      if (!(error instanceof SettingsError)) throw error;
      findings.push({ level: 'error', message: error.message });
    }
  }
  const port = Number(env.PORT || 5050);
  if (Number.isInteger(port) && port > 0 && port <= 65535 && !portFree(port)) {
    findings.push({ level: 'warn', message: `port ${port} is in use: fine if switchboard is running there, otherwise serve cannot start (set PORT)` });
  }
  return findings;
}
