// The store as `serve` and the CLI open it from `storage:`, with retention applied hourly.
import type { StorageConfig } from '../config/schema/storage-schema.ts';
import { errorMessage, type Logger } from '../log/logger.ts';
import { CallStore, describeStoreUrl } from './store.ts';

export const PURGE_EVERY_MS = 3_600_000;

/** undefined when storage is off. Throws one line when the store cannot be opened. */
export async function openStore(storage: StorageConfig, log: Logger, options: { purge?: boolean } = {}): Promise<CallStore | undefined> {
  if (storage.url === 'off') return undefined;
  const store = await CallStore.open(storage.url, log);
  log.info('call store', { url: describeStoreUrl(storage.url), retainDays: storage.retain_days });
  if (options.purge !== false) {
    const purge = () =>
      store.purge(storage.retain_days).then(
        (deleted) => deleted > 0 && log.info('old calls deleted', { deleted, retainDays: storage.retain_days }),
        (error: unknown) => log.warn('could not delete old calls', { error: describeStoreUrl(errorMessage(error)) }),
      );
    void purge();
    setInterval(purge, PURGE_EVERY_MS).unref();
  }
  return store;
}
