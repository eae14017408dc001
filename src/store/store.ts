// Call records through Bun.SQL: SQLite (a file, created on first start) or PostgreSQL (shared by
// several instances). Writes are queued and flushed in batches off the call path; when the
// database is down they wait (bounded: the oldest events are dropped and counted) and a call never
// notices. Reads serve `switchboard calls` and GET /calls.
import { SQL } from 'bun';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { errorMessage, type Logger } from '../log/logger.ts';
import { MIGRATIONS } from './migrations.ts';
import { toCall, toEvent, type CallEvent, type CallRow, type CallTimings, type EventKind } from './rows.ts';

export const FLUSH_EVERY_MS = 250;
export const MAX_QUEUED = 20_000;
/** A batch that takes longer is given up and kept for the next try (a dropped network hangs, it does not fail). */
export const WRITE_TIMEOUT_MS = 3000;

type Op =
  | { op: 'start'; row: CallRow }
  | { op: 'event'; callSid: string; seq: number; at: number; kind: EventKind; data: string }
  | { op: 'end'; callSid: string; endedAt: number; endReason: string; agents: string }
  | { op: 'timings'; callSid: string; timings: string };

export interface CallQuery {
  limit?: number;
  /** Calls that started before this (ms since the epoch): the last row of the previous page. */
  before?: number;
  /** With `before`: that row's CallSid, so calls that started in the same millisecond are not skipped. */
  beforeSid?: string;
  /** Part of either number, spaces, dashes, dots and parentheses ignored: `4321`, `+1 555 765 4321`. */
  number?: string;
  /** An agent that had the call (answered it or took it in a handoff). */
  agent?: string;
  endReason?: string;
}

/** `text` matched literally inside a LIKE pattern: a backslash escapes `%`, `_` and itself (ESCAPE below). */
const likeEscape = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

/**
 * SQLite writes on the server's own thread. Its default journal syncs the disk several times per
 * transaction, and on a virtual disk one sync can take tens of milliseconds: every batch would
 * stall every call's audio. Write-ahead logging syncs only at checkpoints (a committed batch
 * survives the process being killed; only a power loss can take the last ones), and lets
 * `switchboard calls` read while `serve` writes.
 */
async function sqliteForServing(sql: SQL): Promise<void> {
  await sql`PRAGMA journal_mode = WAL`;
  await sql`PRAGMA synchronous = NORMAL`;
}

/** The URL without its credentials, for messages (a PostgreSQL URL carries a password). */
export function describeStoreUrl(url: string): string {
  return url.replace(/\/\/[^@/]*@/, '//…@');
}

export class CallStore {
  readonly #sql: SQL;
  readonly #log: Logger;
  #queue: Op[] = [];
  readonly #seq = new Map<string, number>();
  #timer: Timer | undefined;
  #flushing: Promise<void> | undefined;
  #down = false;
  /** Events dropped because the queue was full while the database was down. */
  lost = 0;
  /** Milliseconds the last batch took to write. */
  lastWriteMs = 0;

  private constructor(sql: SQL, log: Logger) {
    this.#sql = sql;
    this.#log = log;
  }

  /** Opens the store and applies pending migrations; throws one line naming the store (never its password). */
  static async open(url: string, log: Logger, options: { flushEveryMs?: number } = {}): Promise<CallStore> {
    try {
      if (url.startsWith('sqlite://')) {
        const path = url.slice('sqlite://'.length);
        if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
      }
      // connectionTimeout (s): a database that does not answer is an error, not a wait.
      const sql = url.startsWith('sqlite://') ? new SQL(url) : new SQL(url, { connectionTimeout: 3, max: 4 });
      if (url.startsWith('sqlite://')) await sqliteForServing(sql);
      const store = new CallStore(sql, log);
      await store.migrate();
      store.#timer = setInterval(() => void store.flush(), options.flushEveryMs ?? FLUSH_EVERY_MS);
      store.#timer.unref();
      return store;
    } catch (error) {
      throw new Error(`cannot open the call store at ${describeStoreUrl(url)}: ${describeStoreUrl(errorMessage(error))}`);
    }
  }

  /** Applies the migrations not yet applied; returns how many were. */
  async migrate(): Promise<number> {
    const sql = this.#sql;
    await sql`CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at BIGINT NOT NULL)`;
    const done = new Set((await sql`SELECT version FROM schema_migrations`).map((r: { version: unknown }) => Number(r.version)));
    let applied = 0;
    for (const migration of MIGRATIONS) {
      if (done.has(migration.version)) continue;
      await sql.begin(async (tx) => {
        for (const statement of migration.statements) await tx.unsafe(statement);
        await tx`INSERT INTO schema_migrations (version, applied_at) VALUES (${migration.version}, ${Date.now()})`;
      });
      applied++;
    }
    return applied;
  }

  /** The last write failed (the database is unreachable). */
  get down(): boolean {
    return this.#down;
  }

  /** Operations waiting to be written. */
  get backlog(): number {
    return this.#queue.length;
  }

  callStarted(row: CallRow): void {
    this.#push({ op: 'start', row });
  }

  event(callSid: string, kind: EventKind, data: Record<string, unknown>, at = Date.now()): void {
    const seq = (this.#seq.get(callSid) ?? 0) + 1;
    this.#seq.set(callSid, seq);
    this.#push({ op: 'event', callSid, seq, at, kind, data: JSON.stringify(data) });
  }

  callEnded(callSid: string, endedAt: number, endReason: string, agents: string[]): void {
    this.#seq.delete(callSid);
    this.#push({ op: 'end', callSid, endedAt, endReason, agents: agents.join(',') });
  }

  /** After callEnded: the call's timings, on its row. */
  callTimings(callSid: string, timings: CallTimings): void {
    this.#push({ op: 'timings', callSid, timings: JSON.stringify(timings) });
  }

  #push(op: Op): void {
    this.#queue.push(op);
    this.#trim();
  }

  /** Over the bound (the database has been down a while): the oldest events go, the calls' own rows stay. */
  #trim(): void {
    while (this.#queue.length > MAX_QUEUED) {
      const index = this.#queue.findIndex((o) => o.op === 'event');
      if (index < 0) return;
      this.#queue.splice(index, 1);
      this.lost++;
    }
  }

  /** Writes what is queued, in order, in one transaction; on failure keeps it for the next try. */
  flush(): Promise<void> {
    this.#flushing ??= this.#write().finally(() => (this.#flushing = undefined));
    return this.#flushing;
  }

  async #write(): Promise<void> {
    if (this.#queue.length === 0) return;
    const batch = this.#queue;
    this.#queue = [];
    const started = performance.now();
    let timer: Timer | undefined;
    try {
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${WRITE_TIMEOUT_MS} ms`)), WRITE_TIMEOUT_MS);
      });
      // Writes are idempotent (upserts, keyed events), so a batch that did land late is harmless.
      await Promise.race([
        this.#sql.begin(async (tx) => {
          for (const op of batch) await apply(tx, op);
        }),
        timeout,
      ]);
      this.lastWriteMs = performance.now() - started;
      if (this.#down) this.#log.info('call store reachable again', { written: batch.length, lost: this.lost });
      this.#down = false;
    } catch (error) {
      this.#queue = batch.concat(this.#queue);
      this.#trim();
      if (!this.#down) this.#log.warn('call store unavailable; records are kept in memory meanwhile', { error: describeStoreUrl(errorMessage(error)) });
      this.#down = true;
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * Newest first, paged by start time (and CallSid, for calls that started in the same
   * millisecond), narrowed by the filters given. Optional values are bound as NULL and tested with
   * a CAST, so one statement serves every combination on both engines.
   */
  async listCalls({ limit = 50, before = Number.MAX_SAFE_INTEGER, beforeSid = '', number, agent, endReason }: CallQuery = {}): Promise<CallRow[]> {
    const digits = number === undefined ? null : `%${likeEscape(number.replace(/[\s().-]/g, ''))}%`;
    const agentIn = agent === undefined ? null : `%,${likeEscape(agent)},%`;
    const reason = endReason ?? null;
    const rows = await this.#sql`SELECT * FROM calls
      WHERE (started_at < ${before} OR (started_at = ${before} AND call_sid < ${beforeSid}))
        AND (CAST(${digits} AS TEXT) IS NULL OR from_number LIKE ${digits} ESCAPE '\\' OR to_number LIKE ${digits} ESCAPE '\\')
        AND (CAST(${agentIn} AS TEXT) IS NULL OR ',' || agents || ',' LIKE ${agentIn} ESCAPE '\\')
        AND (CAST(${reason} AS TEXT) IS NULL OR end_reason = ${reason})
      ORDER BY started_at DESC, call_sid DESC LIMIT ${limit}`;
    return rows.map(toCall);
  }

  /** Calls that started at or after `since`, counted by hour (start time / 3,600,000 ms) and end reason (absent: not ended). */
  async callsByHour(since: number): Promise<{ hour: number; endReason?: string; calls: number }[]> {
    const rows = await this.#sql`SELECT started_at / 3600000 AS hour, end_reason, COUNT(*) AS calls FROM calls WHERE started_at >= ${since} GROUP BY 1, 2`;
    return rows.map((r: Record<string, unknown>) => ({ hour: Number(r.hour), endReason: r.end_reason === null ? undefined : String(r.end_reason), calls: Number(r.calls) }));
  }

  /** The timings of the calls that started at or after `since` and have them. */
  async timingsSince(since: number): Promise<CallTimings[]> {
    const rows = await this.#sql`SELECT timings FROM calls WHERE started_at >= ${since} AND timings IS NOT NULL`;
    return rows.map((r: { timings: unknown }) => JSON.parse(String(r.timings)) as CallTimings);
  }

  /** The names of the tools each of these calls used, in order. */
  async toolsUsed(callSids: string[]): Promise<Map<string, string[]>> {
    const used = new Map<string, string[]>();
    if (callSids.length === 0) return used;
    const rows = await this.#sql`SELECT call_sid, data FROM call_events WHERE kind = 'tool' AND call_sid IN ${this.#sql(callSids)} ORDER BY call_sid, seq`;
    for (const r of rows as Record<string, unknown>[]) {
      const name = String((JSON.parse(String(r.data)) as { name?: unknown }).name ?? '');
      const list = used.get(String(r.call_sid)) ?? [];
      list.push(name);
      used.set(String(r.call_sid), list);
    }
    return used;
  }

  async getCall(callSid: string): Promise<{ call: CallRow; events: CallEvent[] } | undefined> {
    const [row] = await this.#sql`SELECT * FROM calls WHERE call_sid = ${callSid}`;
    if (row === undefined) return undefined;
    const events = await this.#sql`SELECT * FROM call_events WHERE call_sid = ${callSid} ORDER BY seq`;
    return { call: toCall(row), events: events.map(toEvent) };
  }

  /** Marks a stream token used; false if some instance used it already (one atomic insert). */
  async spendToken(token: string, expiresAt: number): Promise<boolean> {
    const result = await this.#sql`INSERT INTO spent_tokens (token, expires_at) VALUES (${token}, ${expiresAt}) ON CONFLICT (token) DO NOTHING`;
    return (result.count ?? 0) > 0;
  }

  /**
   * Counts one outbound call in a window (`minute:N`, `day:N`) and returns the window's count so
   * far, this one included: one atomic upsert, so instances sharing the store never both take the
   * last slot. Awaited by the caller (not queued with the records), who bounds how long it waits.
   */
  async countDial(windowKey: string, expiresAt: number): Promise<number> {
    const [row] = await this.#sql`INSERT INTO outbound_dials (window_key, n, expires_at) VALUES (${windowKey}, 1, ${expiresAt})
      ON CONFLICT (window_key) DO UPDATE SET n = outbound_dials.n + 1 RETURNING n`;
    return Number((row as { n: unknown }).n);
  }

  /** Deletes calls (and their events) that started before `retainDays` ago, and expired tokens. */
  async purge(retainDays: number, now = Date.now()): Promise<number> {
    const cutoff = now - retainDays * 86_400_000;
    await this.#sql`DELETE FROM call_events WHERE call_sid IN (SELECT call_sid FROM calls WHERE started_at < ${cutoff})`;
    const deleted = await this.#sql`DELETE FROM calls WHERE started_at < ${cutoff}`;
    await this.#sql`DELETE FROM spent_tokens WHERE expires_at < ${now}`;
    await this.#sql`DELETE FROM outbound_dials WHERE expires_at < ${now}`;
    return deleted.count ?? 0;
  }

  /** Flushes what is queued (best effort) and closes the connection. */
  async close(): Promise<void> {
    clearInterval(this.#timer);
    await this.flush();
    await this.#sql.close();
  }
}

async function apply(tx: SQL, op: Op): Promise<void> {
  switch (op.op) {
    case 'start': {
      const r = op.row;
      await tx`INSERT INTO calls (call_sid, stream_sid, direction, from_number, to_number, agent, agents, started_at, answered_at)
        VALUES (${r.callSid}, ${r.streamSid ?? null}, ${r.direction ?? null}, ${r.from ?? null}, ${r.to ?? null}, ${r.agent ?? null}, ${r.agent ?? null}, ${r.startedAt}, ${r.answeredAt ?? null})
        ON CONFLICT (call_sid) DO UPDATE SET stream_sid = excluded.stream_sid, agent = excluded.agent, answered_at = excluded.answered_at`;
      return;
    }
    case 'event':
      await tx`INSERT INTO call_events (call_sid, seq, at, kind, data) VALUES (${op.callSid}, ${op.seq}, ${op.at}, ${op.kind}, ${op.data})
        ON CONFLICT (call_sid, seq) DO NOTHING`;
      return;
    case 'end':
      await tx`UPDATE calls SET ended_at = ${op.endedAt}, end_reason = ${op.endReason}, agents = ${op.agents} WHERE call_sid = ${op.callSid}`;
      return;
    case 'timings':
      await tx`UPDATE calls SET timings = ${op.timings} WHERE call_sid = ${op.callSid}`;
  }
}
