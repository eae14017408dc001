// `switchboard doctor`: what can be checked without placing a call. The config (with its model
// notices), the API key, and each configured model as the OpenAI API sees it. Exit 1 when
// something will make calls fail; an API that cannot be reached is said, not failed on.
import { compileAgents, describeAgentSet } from '../agents/compile.ts';
import { ConfigErrors, formatError, loadConfig } from '../config/index.ts';
import { DEFAULT_REALTIME_MODEL, DEFAULT_TRANSCRIPTION_MODEL } from '../config/models.ts';
import { SettingsError, type Env } from '../server/settings.ts';
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

  const keyName = config.openai.api_key ? 'openai.api_key' : 'OPENAI_API_KEY';
  const apiKey = config.openai.api_key || env.OPENAI_API_KEY;
  if (!apiKey) {
    findings.push({ level: 'error', message: 'OPENAI_API_KEY is not set; export it or put it in .env (or set openai.api_key in the YAML)' });
    return findings;
  }
  const baseUrl = env.OPENAI_BASE_URL || OPENAI_BASE_URL;
  if (!/^https?:\/\/[^/]/.test(baseUrl)) throw new SettingsError('OPENAI_BASE_URL must be an http(s) URL, e.g. https://api.openai.com/v1');
  const models = [
    { key: 'openai.model', model: config.openai.model, current: DEFAULT_REALTIME_MODEL },
    { key: 'openai.transcription.model', model: config.openai.transcription.model, current: DEFAULT_TRANSCRIPTION_MODEL },
  ];
  findings.push(...(await checkModels(models, { baseUrl, apiKey, keyName, today })));
  return findings;
}
