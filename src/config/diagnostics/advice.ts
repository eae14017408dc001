// Warnings about a valid config that are not about models: a voice the API may not have, agents
// that hand a call to each other in different voices, and a credential written into the file
// (the API key, MCP and HTTP tool headers, the call-end webhook's secret and headers), and an
// outbound destination in a premium-rate or high-fraud range. Positions are added by the loader.
import type { PathKey } from '../interpolate.ts';
import { closest, type Notice } from './issues.ts';
import type { Config } from '../schema/schema.ts';
import { VOICES } from '../voices.ts';
import { riskyRangeOf } from '../../outbound/destinations.ts';

/** Whether the value at `path` is written in the file itself, with nothing from the environment. */
export type Literal = (path: PathKey[]) => boolean;

export function adviceNotices(config: Config, literal: Literal): Notice[] {
  return [...voiceNotices(config), ...handoffVoices(config), ...literalSecrets(config, literal), ...riskyDestinations(config)];
}

/**
 * A prefix in outbound.allowed_destinations that opens a premium-rate or high-fraud range: allowed
 * (listing it is how to call there), but worth a second look, since it is where toll fraud goes.
 */
function riskyDestinations(config: Config): Notice[] {
  return (config.outbound.allowed_destinations ?? []).flatMap((prefix, index): Notice[] => {
    const range = riskyRangeOf(prefix);
    if (range === undefined) return [];
    return [
      {
        path: ['outbound', 'allowed_destinations', index],
        at: 'value',
        severity: 'warning',
        message: `${prefix} allows calls to ${range.prefix}, ${range.what}, where toll fraud sends calls; keep it only if you mean to call there`,
        withoutInput: `allows calls to ${range.what}, where toll fraud sends calls; keep it only if you mean to call there`,
      },
    ];
  });
}

/**
 * The Realtime API keeps a session's voice once it has spoken, so an agent handed a call keeps
 * the first agent's voice: a different one configured there is never heard.
 */
function handoffVoices(config: Config): Notice[] {
  const voiceOf = (id: string) => config.agents[id]?.voice ?? 'the default voice';
  return Object.entries(config.agents).flatMap(([id, agent]) =>
    agent.handoffs.flatMap((target, index): Notice[] => {
      if (voiceOf(target) === voiceOf(id)) return [];
      return [
        {
          path: ['agents', id, 'handoffs', index],
          at: 'value',
          severity: 'warning',
          message:
            `${id} speaks with ${voiceOf(id)} and ${target} with ${voiceOf(target)}, but a call keeps the voice it started with: ` +
            `after this handoff the caller still hears ${voiceOf(id)}; give both agents the same voice`,
        },
      ];
    }),
  );
}

function voiceNotices(config: Config): Notice[] {
  const known = `known voices: ${VOICES.join(', ')}`;
  return Object.entries(config.agents).flatMap(([id, { voice }]): Notice[] => {
    if (voice === undefined || VOICES.includes(voice)) return [];
    const near = closest(voice.toLowerCase(), VOICES);
    const guess = near === undefined ? '' : ` did you mean "${near}"?`;
    return [
      {
        path: ['agents', id, 'voice'],
        at: 'value',
        severity: 'warning',
        message: `unknown voice ${JSON.stringify(voice)};${guess} ${known}`,
        withoutInput: `unknown voice; ${known}`,
      },
    ];
  });
}

const LEAKS = 'in the YAML ends up in backups and version control';
// Header names that carry credentials (Authorization, X-API-Key, Cookie, X-Auth-Token, ...).
const SECRET_HEADER = /auth|token|key|secret|passw|cookie|credential/i;
const SCHEME = /^(Bearer|Basic|Token)\s+/i;

// Messages here never contain the value: it is the secret.
function literalSecrets(config: Config, literal: Literal): Notice[] {
  const notices: Notice[] = [];
  const warn = (path: PathKey[], message: string) => notices.push({ path, at: 'value', severity: 'warning', message });
  if (config.openai.api_key && literal(['openai', 'api_key'])) {
    warn(['openai', 'api_key'], `a literal API key ${LEAKS}; use \${OPENAI_API_KEY} and put the key in .env`);
  }
  const headers = (prefix: PathKey[], list: Record<string, string>, variable: string) => {
    for (const [name, value] of Object.entries(list)) {
      const path = [...prefix, name];
      const scheme = SCHEME.exec(value);
      const credential = value.slice(scheme?.[0].length ?? 0).trim();
      if (credential === '' || !(scheme || SECRET_HEADER.test(name)) || !literal(path)) continue;
      const written = scheme ? `"${scheme[1]} \${${variable}}"` : `\${${variable}}`;
      warn(path, `a literal secret ${LEAKS}; write ${written} and put the secret in .env`);
    }
  };
  for (const [id, server] of Object.entries(config.mcp_servers)) {
    headers(['mcp_servers', id, 'headers'], server.headers ?? {}, `${envName(id, 'MCP')}_TOKEN`);
  }
  for (const [id, tool] of Object.entries(config.tools)) {
    headers(['tools', id, 'http', 'headers'], tool.http?.headers ?? {}, `${envName(id, 'TOOL')}_TOKEN`);
  }
  const webhook = config.on_call_end;
  if (webhook) {
    if (literal(['on_call_end', 'secret'])) {
      warn(['on_call_end', 'secret'], `a literal secret ${LEAKS}; write \${WEBHOOK_SECRET} and put the secret in .env`);
    }
    headers(['on_call_end', 'headers'], webhook.headers, 'WEBHOOK_TOKEN');
  }
  return notices;
}

/** `deep-wiki` → DEEP_WIKI: a variable name to suggest for a server's or a tool's token. */
function envName(id: string, prefix: string): string {
  const name = id.toUpperCase().replace(/[^A-Z0-9]+/g, '_');
  return /^[A-Z_]/.test(name) ? name : `${prefix}_${name}`;
}
