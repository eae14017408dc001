// The flags several commands share, declared once: --config (the agents file) and --date (the day
// model shutdowns are judged on), with how their values are read.
import { isIsoDate, todayUtc } from '../config/models.ts';
import { UsageError, type Flag } from './command.ts';

export const DEFAULT_CONFIG_FILE = 'agents.yaml';

export const CONFIG_FLAG = { type: 'string', value: 'FILE', about: `the agents file (default ./${DEFAULT_CONFIG_FILE})` } as const satisfies Flag;

export const DATE_FLAG = {
  type: 'string',
  value: 'YYYY-MM-DD',
  about: 'judge model shutdowns as of that day (default: today, UTC)',
} as const satisfies Flag;

/** The --config value, or the default file. */
export function configFile(value: string | undefined): string {
  return value ?? DEFAULT_CONFIG_FILE;
}

/** The --date value checked, or today (UTC). */
export function day(value: string | undefined): string {
  if (value === undefined) return todayUtc();
  if (!isIsoDate(value)) throw new UsageError(`--date must be a day written YYYY-MM-DD, e.g. 2027-03-01 (got "${value}")`);
  return value;
}
