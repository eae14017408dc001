// `switchboard serve`: settings checked before listening, a clear line when the port or address
// cannot be had, the preflight in the background, a graceful drain on SIGTERM/SIGINT, and a
// config reload on SIGHUP (and on file changes with --watch).
import pkg from '../../package.json' with { type: 'json' };
import { compileAgents, describeAgentSet } from '../agents/compile.ts';
import { startToolRuntime } from '../agents/runtime.ts';
import { defineCommand } from '../cli/command.ts';
import { CONFIG_FLAG, configFile } from '../cli/common-flags.ts';
import { formatError, loadConfig } from '../config/index.ts';
import { todayUtc } from '../config/models.ts';
import { Logger } from '../log/logger.ts';
import { checkRealtime } from './preflight.ts';
import { Reloader, watchConfig } from './reload.ts';
import { openStore } from '../store/open.ts';
import type { CallStore } from '../store/store.ts';
import { startServer, type Switchboard } from './server.ts';
import { DEFAULT_PORT, Environment, serverSettings, SettingsError, type Env, type ServerSettings } from './settings.ts';
import type { AgentSet } from '../agents/compile.ts';

export interface ServeFlags {
  config: string;
  /** As typed (--port), checked with PORT by serverSettings. */
  port?: string;
  insecure: boolean;
  /** Reload the config when its file changes, as on SIGHUP. */
  watch?: boolean;
}

export const serveCommand = defineCommand({
  name: 'serve',
  about: 'answer calls: the Twilio webhook, the media streams, the admin API and the console',
  flags: {
    config: CONFIG_FLAG,
    port: { type: 'string', value: 'N', about: `listen port (default $PORT or ${DEFAULT_PORT}; 0: any free port)` },
    insecure: { type: 'boolean', about: 'serve without PUBLIC_URL/TWILIO_AUTH_TOKEN: no signature checks (local experiments only)' },
    watch: { type: 'boolean', about: 'reload the config when its file changes (SIGHUP always reloads it)' },
  },
  async run({ flags, env }) {
    await serve({ config: configFile(flags.config), port: flags.port, insecure: flags.insecure ?? false, watch: flags.watch ?? false }, env);
    return 'serving';
  },
});

export async function serve(flags: ServeFlags, env: Env): Promise<void> {
  const environment = new Environment(env);
  const logging = environment.logging(process.stdout.isTTY === true);
  const log = new Logger(logging.level, {}, undefined, logging.format);
  const loaded = await loadConfig(flags.config, env, { today: todayUtc() });
  const { config, notices } = loaded;
  // The API is the judge of a model past its shutdown: serve starts, and says so loudly.
  for (const notice of notices) {
    if (notice.severity === 'error') log.error(`${formatError(notice)}; calls will fail until it is changed`);
    else log.warn(formatError(notice));
  }
  // Local MCP servers are connected (and the signing secret checked) before anything listens.
  const tools = await startToolRuntime(loaded, flags.config, env, log);
  const agentSet = compileAgents(config, tools);
  const settings = serverSettings(config, env, { port: flags.port, insecure: flags.insecure });
  const graceSeconds = environment.shutdownGraceSeconds();
  if (settings.insecure) {
    log.warn('--insecure: Twilio signatures are NOT checked; anyone who finds this port can place calls on your OpenAI key');
  }

  const store = await openStore(config.storage, log);
  const switchboard = listen(agentSet, settings, log, store);
  log.info('realtime model', { model: agentSet.model, transcription: config.openai.transcription.model });
  for (const line of describeAgentSet(agentSet)) log.info(line);
  log.info('listening', { url: switchboard.url.href, public: settings.publicUrl, version: pkg.version });
  // In the background: the API may be down now and back later, so this warns, never stops.
  void checkRealtime(settings.upstreamUrl, settings.apiKey).then((result) => {
    switchboard.context.readiness.preflight(result);
    if (result.ok) log.info('preflight: the Realtime API accepted the key', { ms: result.ms });
    else log.warn(`preflight: ${result.reason}; calls will hear the fallback until this is fixed`);
  });
  // Environment variables and .env are read once; the YAML is read again (see reload.ts).
  const reloader = new Reloader(flags.config, env, switchboard.context, tools);
  process.on('SIGHUP', () => void reloader.reload('SIGHUP'));
  const watcher = flags.watch ? watchConfig(flags.config, () => void reloader.reload('watch')) : undefined;
  if (watcher) log.info('watching the config for changes', { file: flags.config });

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) {
      // A second signal: stop now.
      log.warn('shutting down now', { signal, activeCalls: switchboard.calls.size });
      await switchboard.stop();
      await Promise.all([store?.close(), tools.close()]);
      process.exit(0);
    }
    stopping = true;
    watcher?.close();
    log.info('draining', { signal, activeCalls: switchboard.calls.size, graceSeconds });
    await switchboard.drain(graceSeconds * 1000);
    // What the calls left in the store's queue is written before the process goes; MCP servers
    // (child processes among them) are closed once no call can need them.
    await Promise.all([store?.close(), tools.close()]);
    log.info('stopped');
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}

/**
 * Bun says "Is port N in use?" for any bind failure, an unknown HOST included: find out which. The
 * server never shares its port (reusePort: false, see server.ts), so a port taken by another
 * switchboard is refused here too, with one line.
 */
function listen(agentSet: AgentSet, settings: ServerSettings, log: Logger, store: CallStore | undefined): Switchboard {
  try {
    return startServer({ agentSet, settings, log, store });
  } catch (error) {
    // Bun reports a HOST that does not resolve here as EADDRINUSE or EINVAL, depending on the resolver.
    if (!['EADDRINUSE', 'EINVAL', 'EADDRNOTAVAIL', 'ENOTFOUND'].includes(String((error as { code?: unknown }).code))) throw error;
    const { port, hostname } = settings;
    if (portFree(port)) {
      throw new SettingsError(`cannot listen on HOST=${hostname}: it is not an address of this machine; unset HOST to listen on all addresses`);
    }
    // Also what a restart looks like while the old process still drains its calls (SIGTERM).
    throw new SettingsError(`port ${port} is in use (another switchboard running, or one still draining its calls?): stop it first, or set PORT or --port`);
  }
}

export function portFree(port: number): boolean {
  try {
    // reusePort false: with NODE_ENV=production Bun would otherwise share a port a reusing process holds.
    Bun.serve({ port, hostname: '0.0.0.0', reusePort: false, fetch: () => new Response() }).stop(true);
    return true;
  } catch {
    return false;
  }
}
