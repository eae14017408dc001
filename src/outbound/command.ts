// `switchboard call +15551234567 [--agent ID] [--from +1...] [--param NAME=VALUE ...]`: asks Twilio's
// REST API for the call directly. The running server at PUBLIC_URL answers it when it is picked up,
// so both must read the same agents.yaml and the same PUBLIC_URL.
import { loadConfig } from '../config/index.ts';
import { todayUtc } from '../config/models.ts';
import { publicOrigin, SettingsError, twilioFrom, twilioRestSettings, type Env } from '../server/settings.ts';
import { checkOutbound, OUTBOUND_PATH, placeOutbound } from './request.ts';

export interface CallFlags {
  config: string;
  agent?: string;
  from?: string;
  /** NAME=VALUE, repeated. */
  param?: string[];
}

const LABELS = { to: 'the number to call', agent: '--agent', from: '--from', parameters: '--param' };

export async function callCommand(to: string | undefined, flags: CallFlags, env: Env): Promise<number> {
  if (to === undefined) throw new SettingsError('call needs the number to call, e.g. switchboard call +15551234567; see --help');
  const rest = twilioRestSettings(env);
  if (!rest) {
    throw new SettingsError('TWILIO_ACCOUNT_SID is not set: calls are placed through Twilio\'s REST API with it and TWILIO_AUTH_TOKEN (or TWILIO_API_KEY and TWILIO_API_SECRET)');
  }
  if (!env.PUBLIC_URL) {
    throw new SettingsError(`PUBLIC_URL is not set: when the call is answered, Twilio requests PUBLIC_URL${OUTBOUND_PATH} of the running switchboard`);
  }
  const publicUrl = publicOrigin(env.PUBLIC_URL);
  const { config } = await loadConfig(flags.config, env, { today: todayUtc() });
  const input = { to, agent: flags.agent, from: flags.from, parameters: parameters(flags.param ?? []) };
  const call = checkOutbound(input, { config, envFrom: twilioFrom(env), publicUrl }, LABELS);
  if (Array.isArray(call)) throw new SettingsError(call.join('; '));
  const placed = await placeOutbound(rest, publicUrl, call, config);
  process.stdout.write(
    `${placed.sid} ${placed.status || 'placed'}: calling ${call.to} from ${call.from}, agent ${call.agent}\n` +
      `when it is answered, Twilio requests ${publicUrl}${OUTBOUND_PATH}: switchboard serve must be running there with this agents.yaml\n`,
  );
  return 0;
}

/** `--param name=Ada` -> { name: "Ada" }; the value may contain `=`. */
function parameters(pairs: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of pairs) {
    const at = pair.indexOf('=');
    if (at <= 0) throw new SettingsError(`--param must be NAME=VALUE, e.g. --param name=Ada (got "${pair}")`);
    out[pair.slice(0, at)] = pair.slice(at + 1);
  }
  return out;
}
