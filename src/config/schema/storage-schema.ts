// Where call records go: an SQLite file by default (created on first start), PostgreSQL by URL
// for several instances sharing one store.
import { z } from 'zod';

export const DEFAULT_STORAGE_URL = 'sqlite://./data/switchboard.db';

export const storageSchema = z
  .strictObject({
    url: z
      .string()
      .regex(/^(sqlite:\/\/.+|postgres(ql)?:\/\/.+|off)$/, {
        error: 'must be sqlite://PATH, postgres://USER:PASSWORD@HOST/DB, or off',
      })
      .default(DEFAULT_STORAGE_URL)
      .describe('sqlite://./data/switchboard.db (default), postgres://… (usually ${DATABASE_URL}), or off.'),
    retain_days: z
      .number()
      .int({ error: 'must be a whole number of days' })
      .min(1, { error: 'must be at least 1' })
      .default(90)
      .describe('Calls older than this are deleted (checked hourly).'),
    keep_dtmf: z.boolean().default(false).describe('Store the digits callers press (PINs, card numbers!); by default only that keys were pressed.'),
  })
  .describe('Call records: who called, what was said and done, how it ended.');

export type StorageConfig = z.output<typeof storageSchema>;
