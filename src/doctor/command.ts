// `switchboard doctor`: what can be checked without placing a call. The config (with its model
// notices), the public URL, the port, a .env still holding .env.example's placeholders, the API key
// against the Realtime endpoint (exit 1 when it fails: no call would work), and each configured
// model as the REST API sees it (an API that cannot be reached there is said, not failed on: the
// built-in table stands in).
import { join } from 'node:path';
import { compileAgents, describeAgentSet } from '../agents/compile.ts';
import { defineCommand } from '../cli/command.ts';
import { CONFIG_FLAG, configFile, DATE_FLAG, day } from '../cli/common-flags.ts';
import { ConfigErrors, formatError, loadConfig } from '../config/index.ts';
import { DEFAULT_REALTIME_MODEL, DEFAULT_TRANSCRIPTION_MODEL } from '../config/models.ts';
import { portFree } from '../server/command.ts';
import { checkRealtime } from '../server/preflight.ts';
import { Environment, SettingsError, type Env, type OpenAIKey, type PlaceholderName } from '../server/settings.ts';
import { readDotEnv } from './dot-env.ts';
import { checkModels, LEVEL_LABEL, type Finding } from './models-api.ts';

export const doctorCommand = defineCommand({
  name: 'doctor',
  about: 'check the config, the environment, the API key and the models with the OpenAI API',
  flags: { config: CONFIG_FLAG, date: DATE_FLAG },
  run: ({ flags, env }) => doctor(configFile(flags.config), env, { today: day(flags.date) }),
});

export interface DoctorOptions {
  today: string;
  write?: (text: string) => void;
  /** The .env file Bun loaded the environment from: the working directory's. */
  dotEnvFile?: string;
}

/** What to do about a variable still holding .env.example's placeholder; said instead of its usual line. */
const PLACEHOLDER_FINDINGS: Record<PlaceholderName, Finding> = {
  OPENAI_API_KEY: {
    level: 'error',
    message: '.env: OPENAI_API_KEY is still the placeholder from .env.example; put your OpenAI API key there (https://platform.openai.com/api-keys)',
  },
  PUBLIC_URL: {
    level: 'error',
    message: ".env: PUBLIC_URL is still the placeholder from .env.example; set it to the https origin Twilio reaches (your tunnel's or your server's)",
  },
  TWILIO_AUTH_TOKEN: {
    level: 'warning',
    message: '.env: TWILIO_AUTH_TOKEN is still empty, as in .env.example; copy the auth token from Twilio Console › Account › API keys & tokens (or run serve with --insecure, for local experiments)',
  },
};

export async function doctor(file: string, env: Env, { today, write = (t) => process.stdout.write(t), dotEnvFile = join(process.cwd(), '.env') }: DoctorOptions): Promise<number> {
  const findings = await examine(file, env, today, dotEnvFile);
  for (const { level, message } of findings) write(`${LEVEL_LABEL[level].padEnd(6)}${message}\n`);
  const errors = findings.filter((f) => f.level === 'error').length;
  const warnings = findings.filter((f) => f.level === 'warning').length;
  write(errors > 0 ? `${errors} error(s), ${warnings} warning(s): calls will fail until the errors are fixed.\n` : `no errors, ${warnings} warning(s).\n`);
  return errors > 0 ? 1 : 0;
}

async function examine(file: string, env: Env, today: string, dotEnvFile: string): Promise<Finding[]> {
  const environment = new Environment(env);
  let loaded;
  try {
    loaded = await loadConfig(file, env, { today });
  } catch (error) {
    if (error instanceof ConfigErrors) return error.errors.map((e) => ({ level: 'error', message: formatError(e) }));
    throw error;
  }
  const { config, notices } = loaded;
  const findings: Finding[] = notices.map((n) => ({ level: n.severity, message: formatError(n) }));
  const agentSet = compileAgents(config);
  findings.push({ level: 'ok', message: `${file}: ${Object.keys(config.agents).length} agents, model ${agentSet.model}` });
  for (const line of describeAgentSet(agentSet)) findings.push({ level: 'ok', message: line });

  const placeholders = new Set(environment.placeholders(readDotEnv(dotEnvFile)));
  findings.push(...serverFindings(environment, placeholders));

  let key: OpenAIKey;
  try {
    key = environment.openaiKey(config);
  } catch (error) {
    if (!(error instanceof SettingsError)) throw error;
    findings.push({ level: 'error', message: error.message });
    return findings;
  }
  // A placeholder is not sent to OpenAI: the line above says what to do instead.
  if (key.name === 'OPENAI_API_KEY' && placeholders.has('OPENAI_API_KEY')) {
    findings.push(PLACEHOLDER_FINDINGS.OPENAI_API_KEY);
    return findings;
  }
  const realtimeUrl = environment.realtimeUrl(config);
  const realtime = await checkRealtime(realtimeUrl, key.key);
  findings.push(
    realtime.ok
      ? { level: 'ok', message: `the Realtime API at ${new URL(realtimeUrl).host} accepted ${key.name} for ${config.openai.model} (${realtime.ms} ms)` }
      : { level: 'error', message: realtime.reason },
  );
  const baseUrl = environment.openaiBaseUrl();
  const models = [
    { key: 'openai.model', model: config.openai.model, current: DEFAULT_REALTIME_MODEL },
    { key: 'openai.transcription.model', model: config.openai.transcription.model, current: DEFAULT_TRANSCRIPTION_MODEL },
  ];
  findings.push(...(await checkModels(models, { baseUrl, apiKey: key.key, keyName: key.name, today })));
  return findings;
}

/** What `serve` would refuse or regret: the public URL, the tokens, the proxies, the port. */
function serverFindings(environment: Environment, placeholders: ReadonlySet<PlaceholderName>): Finding[] {
  const findings: Finding[] = [];
  let publicUrl: string | undefined;
  if (placeholders.has('PUBLIC_URL')) findings.push(PLACEHOLDER_FINDINGS.PUBLIC_URL);
  else {
    try {
      publicUrl = environment.publicUrl();
      findings.push(
        publicUrl
          ? { level: 'ok', message: `PUBLIC_URL ${publicUrl}: Twilio's stream goes to ${publicUrl.replace(/^https/, 'wss')}/media-stream` }
          : { level: 'warning', message: 'PUBLIC_URL is not set: serve needs the https origin Twilio reaches (or --insecure, for local experiments)' },
      );
    } catch (error) {
      if (!(error instanceof SettingsError)) throw error;
      findings.push({ level: 'error', message: error.message });
    }
  }
  if (placeholders.has('TWILIO_AUTH_TOKEN')) findings.push(PLACEHOLDER_FINDINGS.TWILIO_AUTH_TOKEN);
  else if (!environment.twilioAuthToken()) {
    findings.push({ level: 'warning', message: "TWILIO_AUTH_TOKEN is not set: serve needs it to check Twilio's signatures (or --insecure)" });
  }
  // The same checks as serve's, so the same one line.
  for (const check of [() => environment.adminToken(), () => environment.trustProxy()]) {
    try {
      check();
    } catch (error) {
      if (!(error instanceof SettingsError)) throw error;
      findings.push({ level: 'error', message: error.message });
    }
  }
  let port: number | undefined;
  try {
    port = environment.port();
  } catch {
    // serve says what is wrong with PORT; doctor only asks whether a good one is free.
  }
  if (port !== undefined && port > 0 && !portFree(port)) {
    findings.push({ level: 'warning', message: `port ${port} is in use: fine if switchboard is running there, otherwise serve cannot start (set PORT)` });
  }
  return findings;
}
