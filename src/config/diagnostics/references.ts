// Cross-references between sections (entry, tools, MCP servers, handoffs). Checked on the raw
// data, not the validated Config, so they are reported together with schema errors; anything
// not shaped as expected is skipped because the schema already reports it.
import type { PathKey } from '../interpolate.ts';
import { closest, type Problem } from './issues.ts';
import { IMPLICIT_TOOLS } from '../schema/tool-schema.ts';

/** How to quote the value at a path in a message (env-derived values must not be shown). */
export type Show = (path: PathKey[], value: string) => string;

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

const idsOf = (section: unknown): string[] | undefined => (isRecord(section) ? Object.keys(section) : undefined);

function declared(plural: string, section: string, ids: string[]): string {
  return ids.length ? `declared ${plural}: ${ids.join(', ')}` : `no ${plural} are declared; add them under \`${section}:\``;
}

/** `hangup` → the built-in `hang_up`; `wether` → the declared `weather`. */
function nearest(field: string, ref: string, ids: string[]): string | undefined {
  const builtIns = field === 'tools' ? [...Object.keys(IMPLICIT_TOOLS), 'transfer_call'] : [];
  const normal = (id: string) => id.toLowerCase().replace(/[_-]/g, '');
  // A one-letter slip in a short id is a different word, not a typo.
  const candidates = [...ids, ...builtIns];
  const near = candidates.find((id) => normal(id) === normal(ref)) ?? closest(ref, candidates.filter((id) => id.length >= 4));
  if (near === undefined) return undefined;
  return builtIns.includes(near) && !ids.includes(near) ? `did you mean "${near}"? \`${near}\` is the built-in` : `did you mean "${near}"?`;
}

export function checkReferences(data: unknown, show: Show): Problem[] {
  if (!isRecord(data)) return [];
  const problems: Problem[] = [];
  const agents = idsOf(data.agents);
  const sections = {
    tools: { ids: data.tools === undefined ? [] : idsOf(data.tools), noun: 'tool', plural: 'tools', section: 'tools' },
    mcp_servers: {
      ids: data.mcp_servers === undefined ? [] : idsOf(data.mcp_servers),
      noun: 'MCP server',
      plural: 'MCP servers',
      section: 'mcp_servers',
    },
    handoffs: { ids: agents, noun: 'agent', plural: 'agents', section: 'agents' },
  } as const;

  const agentRef = (path: PathKey[], ref: unknown) => {
    if (typeof ref !== 'string' || agents === undefined || agents.includes(ref)) return;
    problems.push({ path, at: 'value', message: `unknown agent ${show(path, ref)}; ${declared('agents', 'agents', agents)}` });
  };
  agentRef(['entry'], data.entry);
  if (isRecord(data.numbers)) for (const [number, ref] of Object.entries(data.numbers)) agentRef(['numbers', number], ref);
  if (isRecord(data.outbound)) agentRef(['outbound', 'agent'], data.outbound.agent);
  if (!isRecord(data.agents)) return problems;

  for (const [agentId, agent] of Object.entries(data.agents)) {
    if (!isRecord(agent)) continue;
    for (const field of ['tools', 'mcp_servers', 'handoffs'] as const) {
      const { ids, noun, plural, section } = sections[field];
      const refs = agent[field];
      if (ids === undefined || !Array.isArray(refs)) continue;
      refs.forEach((ref: unknown, index) => {
        if (typeof ref !== 'string') return;
        const path: PathKey[] = ['agents', agentId, field, index];
        if (field === 'tools' && Object.hasOwn(IMPLICIT_TOOLS, ref)) return;
        if (field === 'tools' && ref === 'transfer_call' && !ids.includes(ref)) {
          problems.push({ path, at: 'value', message: 'transfer_call needs its targets: declare it under `tools:` with `transfer: { to: ... }`' });
        } else if (field === 'handoffs' && ref === agentId) {
          problems.push({ path, at: 'value', message: `an agent cannot hand off to itself; remove "${agentId}"` });
        } else if (!ids.includes(ref)) {
          problems.push({ path, at: 'value', message: `unknown ${noun} ${show(path, ref)}; ${nearest(field, ref, ids) ?? declared(plural, section, ids)}` });
        }
      });
    }
  }
  return problems;
}
