// The PostgreSQL the store tests use: TEST_POSTGRES_URL (set by .ci/run, which starts one with
// .ci/postgres). Without it those tests are skipped, and say so once.
export const POSTGRES_URL = process.env.TEST_POSTGRES_URL || undefined;

if (!POSTGRES_URL) {
  console.warn('store tests against PostgreSQL skipped: TEST_POSTGRES_URL is not set (run `bash .ci/postgres` to start one)');
}

/** A fresh schema-less database for one test file: tables are dropped first. */
export async function freshPostgres(): Promise<string | undefined> {
  if (!POSTGRES_URL) return undefined;
  const { SQL } = await import('bun');
  const sql = new SQL(POSTGRES_URL);
  for (const table of ['call_events', 'calls', 'spent_tokens', 'outbound_dials', 'schema_migrations']) await sql.unsafe(`DROP TABLE IF EXISTS ${table}`);
  await sql.close();
  return POSTGRES_URL;
}
