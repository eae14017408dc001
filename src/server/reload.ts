// Reloading agents.yaml while serving (SIGHUP, `serve --watch`): load, validate and compile the
// file again; if it is valid new calls get it (calls in progress keep the AgentSet they started
// with, see ServerContext.agentSet); if not, the running config stays and every error is logged
// with FILE:LINE:COL. What cannot change without a restart keeps its running value, and says so.
import { watch } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { compileAgents, describeAgentSet } from '../agents/compile.ts';
import type { ToolRuntime } from '../agents/runtime.ts';
import { ConfigErrors, formatError, loadConfig, type Config, type LoadedConfig } from '../config/index.ts';
import { mcpKind } from '../config/schema/mcp-schema.ts';
import { todayUtc } from '../config/models.ts';
import { errorMessage } from '../log/logger.ts';
import type { ServerContext } from './context.ts';
import type { Env } from './settings.ts';

/** Editors save in steps (truncate and write, or write a copy and rename): wait for quiet. */
export const WATCH_SETTLE_MS = 150;

/**
 * Keys read once at start: sessions connect to the Realtime URL (model included) and with the key
 * chosen then, and the call store is opened once. The reloaded config keeps the running values.
 * Local MCP servers are connected once too (see agents/runtime.ts): a changed one is reported
 * here, and agents get the connections made at start.
 */
export function keepRestartOnly(next: Config, running: Config): { config: Config; kept: string[] } {
  const kept: string[] = [];
  const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
  for (const key of ['model', 'url', 'api_key'] as const) {
    if (!same(next.openai[key], running.openai[key])) kept.push(`openai.${key}`);
  }
  if (!same(next.storage, running.storage)) kept.push('storage');
  const local = (config: Config) => Object.entries(config.mcp_servers).filter(([, server]) => mcpKind(server) !== 'hosted');
  const before = new Map(local(running));
  for (const [id, server] of local(next)) if (!same(server, before.get(id))) kept.push(`mcp_servers.${id}`);
  if (kept.every((key) => key.startsWith('mcp_servers.'))) return { config: next, kept };
  const openai = { ...next.openai, model: running.openai.model, url: running.openai.url, api_key: running.openai.api_key };
  return { config: { ...next, openai, storage: running.storage }, kept };
}

/** `sign: true` needs the secret the running process read at start (as startToolRuntime checks). */
function unsignable(loaded: LoadedConfig, file: string, runtime: Pick<ToolRuntime, 'signingSecret'>): ConfigErrors | undefined {
  if (runtime.signingSecret) return undefined;
  const errors = Object.entries(loaded.config.tools)
    .filter(([, tool]) => tool.http?.sign)
    .map(([id]) => ({
      file,
      ...loaded.locate(['tools', id, 'http', 'sign']),
      path: `tools.${id}.http.sign`,
      message: 'sign: true needs TOOL_SIGNING_SECRET, which this server did not have at start; set it and restart',
    }));
  return errors.length > 0 ? new ConfigErrors(errors) : undefined;
}

export class Reloader {
  readonly #running: Config;
  #last: Promise<boolean> = Promise.resolve(true);

  constructor(
    private readonly file: string,
    private readonly env: Env,
    private readonly ctx: ServerContext,
    private readonly runtime: Pick<ToolRuntime, 'mcp' | 'signingSecret'>,
  ) {
    this.#running = ctx.agentSet.config;
  }

  /** One reload at a time, in the order asked; resolves to whether the new config is in use. */
  reload(trigger: 'SIGHUP' | 'watch'): Promise<boolean> {
    this.#last = this.#last.then(() => this.#reload(trigger));
    return this.#last;
  }

  async #reload(trigger: string): Promise<boolean> {
    const { log, metrics } = this.ctx;
    let next;
    try {
      const loaded = await loadConfig(this.file, this.env, { today: todayUtc() });
      const refused = unsignable(loaded, this.file, this.runtime);
      if (refused) throw refused;
      const { config: applied, kept } = keepRestartOnly(loaded.config, this.#running);
      next = compileAgents(applied, this.runtime);
      for (const notice of loaded.notices) {
        if (notice.severity === 'error') log.error(`${formatError(notice)}; calls will fail until it is changed`);
        else log.warn(formatError(notice));
      }
      for (const key of kept) log.warn(`config reload: ${key} changed, which needs a restart; until then calls keep what serve started with`);
    } catch (error) {
      const errors = error instanceof ConfigErrors ? error.errors : [];
      for (const e of errors) log.error(formatError(e));
      const why = errors.length > 0 ? { errors: errors.length } : { error: errorMessage(error) };
      log.error('config reload failed; still serving the previous config', { trigger, file: this.file, ...why });
      metrics.reloaded(false);
      return false;
    }
    this.ctx.agentSet = next;
    metrics.reloaded(true);
    log.info('config reloaded; new calls use it, calls in progress keep theirs', { trigger, file: this.file, activeCalls: this.ctx.calls.size });
    for (const line of describeAgentSet(next)) log.info(line);
    return true;
  }
}

/** `serve --watch`: calls `changed` once the config file has been quiet for WATCH_SETTLE_MS. */
export function watchConfig(file: string, changed: () => void): { close(): void } {
  const path = resolve(file);
  const name = basename(path);
  let timer: Timer | undefined;
  // The directory, not the file: an editor that saves by rename replaces the file being watched.
  const watcher = watch(dirname(path), (_event, filename) => {
    if (filename !== null && basename(String(filename)) !== name) return;
    clearTimeout(timer);
    timer = setTimeout(changed, WATCH_SETTLE_MS);
  });
  return {
    close() {
      clearTimeout(timer);
      watcher.close();
    },
  };
}
