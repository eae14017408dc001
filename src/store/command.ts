// `switchboard calls [--last N] [--json]`, `switchboard calls show CA…` and `switchboard migrate`:
// the store found through the same config as `serve`.
import { defineCommand, UsageError } from '../cli/command.ts';
import { CONFIG_FLAG, configFile } from '../cli/common-flags.ts';
import { loadConfig } from '../config/index.ts';
import { escapeControls, Logger, maskNumber } from '../log/logger.ts';
import type { Env } from '../server/settings.ts';
import { openStore } from './open.ts';
import type { CallEvent, CallRow } from './rows.ts';
import type { CallStore } from './store.ts';

const quiet = new Logger('warn');
const toStdout = (text: string) => void process.stdout.write(text);

export const callsCommand = defineCommand({
  name: 'calls',
  about: 'the recorded calls, newest first (from storage.url); `calls show CA…`: one call, its transcript, tools, handoffs and ending',
  args: '[show CA…]',
  // `show` and its CallSid are checked by listCalls, which says how to write them.
  maxArgs: Infinity,
  flags: {
    last: { type: 'string', value: 'N', about: 'how many calls to list, 1 to 500 (default 20)' },
    json: { type: 'boolean', about: 'print JSON instead of lines' },
    config: CONFIG_FLAG,
  },
  run: ({ flags, args, env }) => listCalls(args, { config: configFile(flags.config), last: flags.last, json: flags.json }, env, toStdout),
});

export const migrateCommand = defineCommand({
  name: 'migrate',
  about: "apply the call store's migrations (serve does it at start)",
  flags: { config: CONFIG_FLAG },
  run: ({ flags, env }) => migrate(configFile(flags.config), env, toStdout),
});

async function withStore<T>(file: string, env: Env, run: (store: CallStore) => Promise<T>): Promise<T> {
  const { config } = await loadConfig(file, env);
  const store = await openStore(config.storage, quiet, { purge: false });
  if (!store) throw new Error(`${file}: storage.url is off, so no calls are recorded`);
  try {
    return await run(store);
  } finally {
    await store.close();
  }
}

export async function migrate(file: string, env: Env, write: (t: string) => void): Promise<number> {
  // Opening applies the migrations; say how many were pending.
  const applied = await withStore(file, env, (store) => store.migrate());
  write(`migrations up to date${applied ? ` (${applied} applied)` : ''}\n`);
  return 0;
}

export async function listCalls(args: string[], flags: { config: string; last?: string; json?: boolean }, env: Env, write: (t: string) => void): Promise<number> {
  const [sub, sid, ...rest] = args;
  if (sub === 'show') {
    if (!sid || rest.length > 0) throw new UsageError('usage: switchboard calls show CA… [--config FILE]');
    const found = await withStore(flags.config, env, (store) => store.getCall(sid));
    if (!found) throw new Error(`no call ${sid} in the store`);
    write(flags.json ? `${JSON.stringify(found)}\n` : showCall(found.call, found.events));
    return 0;
  }
  if (sub !== undefined) throw new UsageError(`unknown calls command "${sub}"; use \`switchboard calls\` or \`switchboard calls show CA…\``);
  const last = Number(flags.last ?? 20);
  if (!Number.isInteger(last) || last < 1 || last > 500) throw new UsageError(`--last must be a whole number from 1 to 500 (got ${flags.last})`);
  const calls = await withStore(flags.config, env, (store) => store.listCalls({ limit: last }));
  write(flags.json ? `${JSON.stringify(calls)}\n` : table(calls));
  return 0;
}

const time = (ms: number | undefined) => (ms === undefined ? '' : new Date(ms).toISOString().replace('T', ' ').slice(0, 19));
const seconds = (c: CallRow) => (c.endedAt === undefined ? 'live' : `${Math.round((c.endedAt - c.startedAt) / 1000)} s`);

function table(calls: CallRow[]): string {
  if (calls.length === 0) return 'no calls recorded yet\n';
  const rows = calls.map((c) => [time(c.startedAt), c.callSid, c.direction ?? '', maskNumber(c.from) ?? '', c.to ?? '', (c.agents ?? [c.agent ?? '']).join('>'), seconds(c), c.endReason ?? '']);
  const header = ['started (UTC)', 'call', 'direction', 'from', 'to', 'agents', 'length', 'ended'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((cell, i) => cell.padEnd(widths[i]!)).join('  ').trimEnd();
  return `${[line(header), ...rows.map(line)].join('\n')}\n`;
}

function showCall(call: CallRow, events: CallEvent[]): string {
  const lines = [
    `call ${call.callSid} (${call.direction ?? 'unknown direction'}) from ${maskNumber(call.from) ?? 'unknown'} to ${call.to ?? 'unknown'}`,
    `started ${time(call.startedAt)} UTC, ${call.endedAt === undefined ? 'still live' : `ended ${time(call.endedAt)} UTC: ${call.endReason}`}; agents: ${(call.agents ?? [call.agent]).join(' > ')}`,
    '',
  ];
  for (const e of events) {
    const at = `+${((e.at - call.startedAt) / 1000).toFixed(1).padStart(5)} s`;
    const d = e.data as Record<string, string | undefined>;
    if (e.kind === 'turn') lines.push(`${at}  ${d.role === 'caller' ? 'caller' : `agent${d.agent ? ` (${d.agent})` : ''}`}: ${d.text}`);
    else if (e.kind === 'tool') lines.push(`${at}  tool ${d.name}(${d.arguments ?? ''}) -> ${d.result ?? d.error ?? '(no result)'}`);
    else if (e.kind === 'handoff') lines.push(`${at}  handoff ${d.from} -> ${d.to}`);
    else if (e.kind === 'dtmf') lines.push(`${at}  keypad: ${d.keys ?? `${d.count} key(s)`}`);
    else if (e.kind === 'transfer') lines.push(`${at}  transferred to ${d.to}`);
    else if (e.kind === 'guardrail') lines.push(`${at}  guardrail ${d.name} cut the agent${d.agent ? ` (${d.agent})` : ''} off; the caller heard: ${d.message ?? '(not recorded)'}`);
    else lines.push(`${at}  ${e.kind}: ${JSON.stringify(e.data)}`);
  }
  // What a caller said (or a tool returned) goes to a terminal: its control characters are shown, not obeyed.
  return `${lines.map(escapeControls).join('\n')}\n`;
}
