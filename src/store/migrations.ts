// Versioned schema changes, applied in order at start (and by `switchboard migrate`). The SQL is
// the common subset of SQLite and PostgreSQL: no autoincrement (events are keyed by call and
// sequence), times as BIGINT milliseconds, JSON as TEXT.

export interface Migration {
  version: number;
  statements: string[];
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    statements: [
      `CREATE TABLE calls (
        call_sid TEXT PRIMARY KEY,
        stream_sid TEXT,
        direction TEXT,
        from_number TEXT,
        to_number TEXT,
        agent TEXT,
        agents TEXT,
        started_at BIGINT NOT NULL,
        answered_at BIGINT,
        ended_at BIGINT,
        end_reason TEXT
      )`,
      'CREATE INDEX calls_started_at ON calls (started_at)',
      `CREATE TABLE call_events (
        call_sid TEXT NOT NULL,
        seq INTEGER NOT NULL,
        at BIGINT NOT NULL,
        kind TEXT NOT NULL,
        data TEXT NOT NULL,
        PRIMARY KEY (call_sid, seq)
      )`,
      // Single use of stream tokens across instances sharing a PostgreSQL store.
      'CREATE TABLE spent_tokens (token TEXT PRIMARY KEY, expires_at BIGINT NOT NULL)',
    ],
  },
  {
    version: 2,
    // A call's phone timings (JSON, see rows.ts CallTimings), written once as it ends; on the row
    // rather than as an event, so the events stay what was said and done.
    statements: ['ALTER TABLE calls ADD COLUMN timings TEXT'],
  },
  {
    version: 3,
    // Outbound calls placed per window (`minute:N`, `day:N`), counted by every instance sharing
    // the store, so that outbound.max_per_minute and max_per_day cap them all together.
    statements: ['CREATE TABLE outbound_dials (window_key TEXT PRIMARY KEY, n INTEGER NOT NULL, expires_at BIGINT NOT NULL)'],
  },
];
