// The --help texts: the CLI's (every command's usage line and what it does, then the environment)
// and one command's (its usage line and each of its flags). Usage lines are written from the
// commands' own flags, so a flag cannot be accepted without being shown, or shown without being
// accepted.
import { DEFAULT_OPENAI_BASE_URL, DEFAULT_PORT, DEFAULT_SHUTDOWN_GRACE_SECONDS } from '../server/settings.ts';
import { DEFAULT_TWILIO_API_BASE } from '../twilio/rest.ts';
import type { Command } from './command.ts';

/** The column an explanation starts at, under or beside what it explains. */
const ABOUT_COLUMN = 32;
const WIDTH = 100;

const ENVIRONMENT = `Environment (a .env file in the working directory is read too):
  OPENAI_API_KEY       required by serve (or openai.api_key in the YAML)
  PUBLIC_URL           https origin Twilio reaches, e.g. https://voice.example.com
  TWILIO_AUTH_TOKEN    verifies Twilio's request signatures
  OPENAI_REALTIME_URL  Realtime WebSocket endpoint override (proxies, gateways, tests)
  OPENAI_BASE_URL      REST endpoint override for doctor (default ${DEFAULT_OPENAI_BASE_URL})
  ADMIN_TOKEN          bearer token for admin endpoints and the console (at least 32 characters)
  TRUST_PROXY          your reverse proxy's IP addresses: only then is X-Forwarded-For read
  STREAM_TOKEN_SECRET  shared by every instance behind one public host (at least 32 characters)
  TOOL_SIGNING_SECRET  signs http tool requests with sign: true
  TWILIO_ACCOUNT_SID   outbound calls (call, POST /calls), with TWILIO_AUTH_TOKEN
                       or TWILIO_API_KEY + TWILIO_API_SECRET
  TWILIO_FROM          number outbound calls come from (else outbound.from or --from)
  TWILIO_API_BASE      REST endpoint override (default ${DEFAULT_TWILIO_API_BASE})
  SHUTDOWN_GRACE_SECONDS  on SIGTERM/SIGINT, how long calls may finish (default ${DEFAULT_SHUTDOWN_GRACE_SECONDS})
  METRICS_PUBLIC       true: GET /metrics without the admin token
  LOG_FORMAT           json|text (default: json unless stdout is a terminal)
  AUDIO_PATH           lean (default) | sdk: the SDK's own Twilio transport, for comparison
  PORT                 serve's listen port (default ${DEFAULT_PORT})
  HOST, LOG_LEVEL (debug|info|warn|error)
`;

/** `[--config FILE]`, `[--insecure]`, `[--param NAME=VALUE ...]`. */
function flagUsage(name: string, command: Command): string {
  const flag = command.flags[name]!;
  const value = flag.type === 'string' ? ` ${flag.value ?? 'VALUE'}` : '';
  return `[--${name}${value}${flag.multiple ? ' ...' : ''}]`;
}

/** `switchboard check [--config FILE] [--date YYYY-MM-DD]`, wrapped under its first flag. */
export function usageLine(command: Command, implicit = false): string {
  const head = ['switchboard', implicit ? `[${command.name}]` : command.name, ...(command.args ? [command.args] : [])].join(' ');
  const lines = [head];
  const indent = ' '.repeat(Math.min(head.length + 1, ABOUT_COLUMN - 2));
  for (const part of Object.keys(command.flags).map((name) => flagUsage(name, command))) {
    const last = lines.length - 1;
    if (lines[last]!.length + 1 + part.length > WIDTH && lines[last]!.trim() !== '') lines.push(`${indent}${part}`);
    else lines[last] = `${lines[last]} ${part}`;
  }
  return lines.join('\n');
}

const indented = (text: string, by: number) => text.split('\n').map((line) => `${' '.repeat(by)}${line}`).join('\n');

/** `text` in lines of at most WIDTH columns, each starting at column `by`. */
function wrapped(text: string, by: number): string {
  const lines: string[] = [];
  for (const word of text.split(/\s+/)) {
    const last = lines.length - 1;
    if (last >= 0 && by + lines[last]!.length + 1 + word.length <= WIDTH) lines[last] += ` ${word}`;
    else lines.push(word);
  }
  return indented(lines.join('\n'), by);
}

/** `switchboard --help`. */
export function overview(commands: readonly Command[], version: string, implicit: string): string {
  const usages = commands.map((c) => `${indented(usageLine(c, c.name === implicit), 2)}\n${wrapped(c.about, ABOUT_COLUMN)}`);
  return (
    `switchboard ${version}: answer Twilio phone calls with OpenAI Realtime voice agents\n\n` +
    `Usage:\n${usages.join('\n')}\n` +
    `  switchboard --help | --version\n` +
    `  switchboard COMMAND --help${' '.repeat(ABOUT_COLUMN - 28)}that command's flags, each explained\n\n` +
    ENVIRONMENT
  );
}

/** `switchboard COMMAND --help`. */
export function commandHelp(command: Command): string {
  const rows = Object.entries(command.flags).map(([name, flag]) => [`--${name}${flag.type === 'string' ? ` ${flag.value ?? 'VALUE'}` : ''}`, flag.about] as const);
  rows.push(['--help', 'this help']);
  const width = Math.max(...rows.map(([left]) => left.length)) + 2;
  return (
    `Usage:\n${indented(usageLine(command), 2)}\n${wrapped(command.about, 4)}\n\n` +
    `Options:\n${rows.map(([left, about]) => `  ${left.padEnd(width)}${about}`).join('\n')}\n\n` +
    'Environment variables: see switchboard --help\n'
  );
}
