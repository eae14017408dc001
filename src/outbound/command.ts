// `switchboard call +15551234567 [--agent ID] [--from +1...] [--param NAME=VALUE ...]`: asks Twilio's
// REST API for the call directly. The running server at PUBLIC_URL answers it when it is picked up,
// so both must read the same agents.yaml and the same PUBLIC_URL. The outbound policy is the
// server's: the same destinations are refused, and the dial-rate caps are counted in the call
// store the YAML names, which servers using it share (the concurrency limit is the servers' only:
// the CLI cannot see their lines).
import { defineCommand, UsageError } from '../cli/command.ts';
import { CONFIG_FLAG, configFile } from '../cli/common-flags.ts';
import { loadConfig, type Config } from '../config/index.ts';
import { todayUtc } from '../config/models.ts';
import { errorMessage, Logger } from '../log/logger.ts';
import { Environment, SettingsError, type Env } from '../server/settings.ts';
import { openStore } from '../store/open.ts';
import { DialRate, type RateRefusal } from './dial-rate.ts';
import { checkDestination } from './destinations.ts';
import { checkOutbound, OUTBOUND_PATH, placeOutbound } from './request.ts';

export const callCommand = defineCommand({
  name: 'call',
  about: "place an outbound call through Twilio's REST API; the running server at PUBLIC_URL connects it to the agent when it is answered",
  args: '+15551234567',
  maxArgs: 1,
  flags: {
    agent: { type: 'string', value: 'ID', about: 'the agent that talks (default outbound.agent, else entry)' },
    from: { type: 'string', value: '+1...', about: 'your Twilio number the call comes from (default outbound.from, else $TWILIO_FROM)' },
    param: { type: 'string', multiple: true, value: 'NAME=VALUE', about: 'a value for {{call.param.NAME}} in the agent\'s texts; repeat for more' },
    config: CONFIG_FLAG,
  },
  run: ({ flags, args, env }) => placeCall(args[0], { config: configFile(flags.config), agent: flags.agent, from: flags.from, param: flags.param }, env),
});

export interface CallFlags {
  config: string;
  agent?: string;
  from?: string;
  /** NAME=VALUE, repeated. */
  param?: string[];
}

const LABELS = { to: 'the number to call', agent: '--agent', from: '--from', parameters: '--param' };

export async function placeCall(to: string | undefined, flags: CallFlags, env: Env): Promise<number> {
  if (to === undefined) throw new UsageError('call needs the number to call, e.g. switchboard call +15551234567; see --help');
  const environment = new Environment(env);
  const rest = environment.twilioRest();
  if (!rest) {
    throw new SettingsError('TWILIO_ACCOUNT_SID is not set: calls are placed through Twilio\'s REST API with it and TWILIO_AUTH_TOKEN (or TWILIO_API_KEY and TWILIO_API_SECRET)');
  }
  const publicUrl = environment.publicUrl();
  if (!publicUrl) {
    throw new SettingsError(`PUBLIC_URL is not set: when the call is answered, Twilio requests PUBLIC_URL${OUTBOUND_PATH} of the running switchboard`);
  }
  const { config } = await loadConfig(flags.config, env, { today: todayUtc() });
  const input = { to, agent: flags.agent, from: flags.from, parameters: parameters(flags.param ?? []) };
  const call = checkOutbound(input, { config, envFrom: environment.twilioFrom(), publicUrl }, LABELS);
  // What was typed (the number, --agent, --from, --param) against the YAML and the environment.
  if (Array.isArray(call)) throw new UsageError(call.join('; '));
  // The outbound policy's refusals: not a mistake in what was typed, and not a setting either.
  const refusal = checkDestination(call.to, { allowed: config.outbound.allowed_destinations, from: call.from });
  if (refusal) throw new Error(refusal.message);
  const limited = await countDial(config);
  if (limited) throw new Error(limited.message);
  const placed = await placeOutbound(rest, publicUrl, call, config);
  process.stdout.write(
    `${placed.sid} ${placed.status || 'placed'}: calling ${call.to} from ${call.from}, agent ${call.agent}\n` +
      `when it is answered, Twilio requests ${publicUrl}${OUTBOUND_PATH}: switchboard serve must be running there with this agents.yaml\n`,
  );
  return 0;
}

/** Warnings as one plain line each on stderr, like the CLI's errors. */
const warnings = new Logger('warn', {}, (line) => process.stderr.write(`switchboard: warning: ${line.replace(/^\S+ WARN +/, '')}\n`));

/**
 * Counts this call in the store's dial-rate windows, shared with the servers using that store.
 * Without a store there is nothing to share; with one that cannot be opened the call goes ahead,
 * uncounted, as a server's would be counted only in its own memory: the warning says so.
 */
async function countDial(config: Config): Promise<RateRefusal | undefined> {
  let store;
  try {
    store = await openStore(config.storage, warnings, { purge: false });
  } catch (error) {
    warnings.warn(`${errorMessage(error)}; this call is not counted against outbound.max_per_minute and max_per_day`);
    return undefined;
  }
  if (!store) return undefined;
  try {
    return await new DialRate({ store, log: warnings }).take(config.outbound);
  } finally {
    await store.close();
  }
}

/** `--param name=Ada` -> { name: "Ada" }; the value may contain `=`. */
function parameters(pairs: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of pairs) {
    const at = pair.indexOf('=');
    if (at <= 0) throw new UsageError(`--param must be NAME=VALUE, e.g. --param name=Ada (got "${pair}")`);
    out[pair.slice(0, at)] = pair.slice(at + 1);
  }
  return out;
}
