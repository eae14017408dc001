#!/usr/bin/env bun
// The CLI: `serve` (default), `check`, `doctor`, `schema`, `simulate`, `call`. Nothing else lives here.
import { parseArgs } from 'node:util';
import pkg from '../package.json' with { type: 'json' };
import { compileAgents, describeAgentSet } from './agents/compile.ts';
import { ConfigErrors, configJsonSchema, formatNotice, loadConfig } from './config/index.ts';
import { isIsoDate, todayUtc } from './config/models.ts';
import { doctor } from './doctor/command.ts';
import { levelFromEnv } from './log/logger.ts';
import { callCommand } from './outbound/command.ts';
import { serve } from './server/command.ts';
import { SettingsError } from './server/settings.ts';
import { simulate } from './simulate/command.ts';
import { callsCommand, migrateCommand } from './store/command.ts';

const HELP = `switchboard ${pkg.version}: answer Twilio phone calls with OpenAI Realtime voice agents

Usage:
  switchboard [serve] [--config FILE] [--port N] [--insecure] [--watch]
  switchboard check [--config FILE] [--date YYYY-MM-DD]
                                validate agents.yaml; --date judges model shutdowns as of that day
  switchboard doctor [--config FILE]
                                check the config, the API key and the models with the OpenAI API
  switchboard calls [--last N] [--json]   the recorded calls, newest first (from storage.url)
  switchboard calls show CA... [--json]   one call: its transcript, tools, handoffs and ending
  switchboard migrate           apply the call store's migrations (serve does it at start)
  switchboard schema            print the JSON Schema of agents.yaml
  switchboard simulate [--url URL] [--wav FILE] [--out FILE] [--calls N] [--seconds S]
                       [--public-url URL] [--auth-token T] [--ramp-ms M] [--say-ms M] [--stamp] [--json]
                       [--expect audio|fallback|busy|refused]
                                call a running switchboard as Twilio does (default --url
                                http://127.0.0.1:$PORT; signs with TWILIO_AUTH_TOKEN and PUBLIC_URL);
                                exit 1 unless every call came to --expect (default: agent audio)
  switchboard call +15551234567 [--agent ID] [--from +1...] [--param NAME=VALUE ...] [--config FILE]
                                place an outbound call through Twilio's REST API; the running
                                server at PUBLIC_URL connects it to the agent when it is answered
  switchboard --help | --version

Options:
  --config FILE   agents file (default ./agents.yaml)
  --port N        listen port (default $PORT or 5050)
  --insecure      serve without PUBLIC_URL/TWILIO_AUTH_TOKEN: no signature checks (local experiments only)
  --watch         reload the config when its file changes (SIGHUP always reloads it)

Environment (a .env file in the working directory is read too):
  OPENAI_API_KEY       required by serve
  PUBLIC_URL           https origin Twilio reaches, e.g. https://voice.example.com
  TWILIO_AUTH_TOKEN    verifies Twilio's request signatures
  OPENAI_REALTIME_URL  Realtime WebSocket endpoint override (proxies, gateways, tests)
  OPENAI_BASE_URL      REST endpoint override for doctor (default https://api.openai.com/v1)
  ADMIN_TOKEN          bearer token for admin endpoints and the console (at least 32 characters)
  TRUST_PROXY          your reverse proxy's IP addresses: only then is X-Forwarded-For read
  TWILIO_ACCOUNT_SID   outbound calls (call, POST /calls), with TWILIO_AUTH_TOKEN
                       or TWILIO_API_KEY + TWILIO_API_SECRET
  TWILIO_FROM          number outbound calls come from (else outbound.from or --from)
  TWILIO_API_BASE      REST endpoint override (default https://api.twilio.com)
  SHUTDOWN_GRACE_SECONDS  on SIGTERM/SIGINT, how long calls may finish (default 20)
  METRICS_PUBLIC       true: GET /metrics without the admin token
  LOG_FORMAT           json|text (default: json unless stdout is a terminal)
  AUDIO_PATH           lean (default) | sdk: the SDK's own Twilio transport, for comparison
  PORT, HOST, LOG_LEVEL (debug|info|warn|error)
`;

const env = process.env as Record<string, string | undefined>;

async function check(file: string, today: string): Promise<number> {
  const { config, notices } = await loadConfig(file, env, { today });
  const agentSet = compileAgents(config);
  if (notices.length > 0) process.stderr.write(`${notices.map(formatNotice).join('\n')}\n`);
  const errors = notices.filter((n) => n.severity === 'error').length;
  if (errors > 0) {
    process.stderr.write(`${errors} error(s); fix them and run again.\n`);
    return 1;
  }
  const c = agentSet.config;
  process.stdout.write(
    `${file}: ok: ${Object.keys(c.agents).length} agents, ${Object.keys(c.tools).length} tools, ` +
      `${Object.keys(c.mcp_servers).length} MCP servers; model ${agentSet.model}\n` +
      describeAgentSet(agentSet).map((l) => `  ${l}\n`).join(''),
  );
  return 0;
}

/**
 * `--port -1` would be read as two flags ("ambiguous"); as `--port=-1` its value reaches the check
 * that can say what is wrong with it.
 */
function joinDashValues(argv: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const next = argv[i + 1];
    if (/^--[a-z-]+$/.test(arg) && next !== undefined && /^-\d/.test(next)) {
      out.push(`${arg}=${next}`);
      i++;
    } else out.push(arg);
  }
  return out;
}

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: joinDashValues(argv),
    allowPositionals: true,
    options: {
      config: { type: 'string', default: 'agents.yaml' },
      port: { type: 'string' },
      insecure: { type: 'boolean', default: false },
      watch: { type: 'boolean', default: false },
      date: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
      // simulate
      url: { type: 'string' },
      'public-url': { type: 'string' },
      'auth-token': { type: 'string' },
      wav: { type: 'string' },
      out: { type: 'string' },
      calls: { type: 'string' },
      seconds: { type: 'string' },
      'ramp-ms': { type: 'string' },
      'say-ms': { type: 'string' },
      stamp: { type: 'boolean' },
      expect: { type: 'string' },
      json: { type: 'boolean' },
      // call
      agent: { type: 'string' },
      from: { type: 'string' },
      param: { type: 'string', multiple: true },
      last: { type: 'string' },
      version: { type: 'boolean', short: 'v', default: false },
    },
  });
  if (values.help) return void process.stdout.write(HELP), 0;
  if (values.version) return void process.stdout.write(`${pkg.version}\n`), 0;
  const [command = 'serve', ...rest] = positionals;
  // `call` takes the number to call, `calls` a subcommand; no other command takes an argument.
  const extra = command === 'call' ? rest.slice(1) : command === 'calls' ? [] : rest;
  if (extra.length > 0) throw new SettingsError(`unexpected argument "${extra[0]}"; see --help`);
  if (values.date !== undefined && !isIsoDate(values.date)) {
    throw new SettingsError(`--date must be a day written YYYY-MM-DD, e.g. 2027-03-01 (got "${values.date}")`);
  }
  const today = values.date ?? todayUtc();

  switch (command) {
    case 'serve':
      await serve({ config: values.config, port: values.port, insecure: values.insecure, watch: values.watch }, env);
      return -1; // keep running
    case 'check':
      return check(values.config, today);
    case 'doctor':
      return doctor(values.config, env, { today });
    case 'simulate':
      return simulate(values, env);
    case 'call':
      return callCommand(rest[0], { config: values.config, agent: values.agent, from: values.from, param: values.param }, env);
    case 'calls':
      return callsCommand(rest, { config: values.config, last: values.last, json: values.json }, env, (t) => process.stdout.write(t));
    case 'migrate':
      return migrateCommand(values.config, env, (t) => process.stdout.write(t));
    case 'schema':
      process.stdout.write(`${JSON.stringify(configJsonSchema(), null, 2)}\n`);
      return 0;
    default:
      throw new SettingsError(`unknown command "${command}"; see --help`);
  }
}

try {
  const code = await main(Bun.argv.slice(2));
  if (code >= 0) process.exit(code);
} catch (error) {
  if (error instanceof ConfigErrors) {
    process.stderr.write(`${error.format()}\n${error.errors.length} error(s); fix them and run again.\n`);
  } else if ((error as { code?: unknown }).code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
    const option = /'([^']+)'/.exec((error as Error).message)?.[1] ?? 'option';
    process.stderr.write(`switchboard: unknown option ${option}; see --help\n`);
  } else {
    // One line a user can act on; the stack only for whoever asks for it.
    const message = error instanceof Error ? error.message : String(error);
    const stack = levelFromEnv(env.LOG_LEVEL) === 'debug' && error instanceof Error ? `\n${error.stack}` : '';
    process.stderr.write(`switchboard: ${message.split('\n')[0]}${stack}\n`);
  }
  process.exit(1);
}
