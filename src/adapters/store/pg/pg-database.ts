import type Database from 'better-sqlite3';
import { AppError } from '../../../errors.js';
import { PgBridge } from './pg-bridge.js';
import { toPgScript, toPgStatement, type PgStatementText } from './pg-dialect.js';

// The part of better-sqlite3's Database the repositories use (prepare → get/all/run/pluck,
// transaction, exec, pragma), over PostgreSQL through the synchronous bridge. So every SQLite
// repository, unchanged, is also a PostgreSQL repository.
//
// SQLite has one writer at a time, and the repositories rely on it: an IMMEDIATE transaction
// (claim a job, enqueue with its dedupe check) reads and then writes knowing nobody else writes
// in between. Here every transaction first takes one transaction-scoped advisory lock, so
// replicas serialize their transactions exactly as processes sharing a SQLite file do. READ
// COMMITTED gives each statement after the lock a fresh snapshot that sees the previous holder's
// commit. Single statements outside a transaction run without the lock, as in SQLite (autocommit).

const WRITER_LOCK = 0x75707379; // "upsy"

type Params = unknown[];

function isNamed(args: unknown[]): args is [Record<string, unknown>] {
  const [first] = args;
  return (
    args.length === 1 &&
    typeof first === 'object' &&
    first !== null &&
    !Array.isArray(first) &&
    !Buffer.isBuffer(first) &&
    !(first instanceof Date)
  );
}

function bind(statement: PgStatementText, args: unknown[]): Params {
  const named = isNamed(args) ? args[0] : null;
  const flat = named ? [] : args.flat();
  return statement.params.map((p) => {
    const value = typeof p === 'number' ? flat[p] : named?.[p];
    if (value === undefined) {
      if (typeof p === 'string' && named && !(p in named))
        throw new AppError('internal', `missing named parameter @${p}`);
      return null;
    }
    if (typeof value === 'bigint') return value.toString();
    return value;
  });
}

export class PgStatement {
  private plucking = false;
  private readonly text: PgStatementText;

  constructor(
    private readonly db: PgDatabase,
    readonly source: string,
  ) {
    this.text = toPgStatement(source);
  }

  pluck(toggle = true): this {
    this.plucking = toggle;
    return this;
  }

  get(...args: unknown[]): unknown {
    return this.all(...args)[0];
  }

  all(...args: unknown[]): unknown[] {
    const { rows } = this.db.bridge.query(this.text.text, bind(this.text, args));
    if (!this.plucking) return rows;
    return rows.map((row) => Object.values(row)[0]);
  }

  run(...args: unknown[]): Database.RunResult {
    const { rowCount } = this.db.bridge.query(this.text.text, bind(this.text, args));
    const bridge = this.db.bridge;
    // SQLite's rowid of an insert is the identity column's value (`INTEGER PRIMARY KEY` became
    // an identity): the session's last sequence value, read only when asked for.
    return {
      changes: rowCount,
      get lastInsertRowid(): number {
        try {
          return Number(bridge.query('SELECT lastval() AS id').rows[0]?.id ?? 0);
        } catch {
          return 0;
        }
      },
    };
  }
}

type TxFn<A extends unknown[], R> = ((...args: A) => R) & {
  deferred: (...args: A) => R;
  immediate: (...args: A) => R;
  exclusive: (...args: A) => R;
};

export class PgDatabase {
  readonly bridge: PgBridge;
  private depth = 0;
  private isOpen = true;
  readonly name: string;

  constructor(url: string, options: { timeoutMs?: number } = {}) {
    this.bridge = new PgBridge(url, options.timeoutMs);
    this.name = redactUrl(url);
  }

  get open(): boolean {
    return this.isOpen;
  }

  get inTransaction(): boolean {
    return this.depth > 0;
  }

  prepare(sql: string): PgStatement {
    return new PgStatement(this, sql);
  }

  exec(sql: string): this {
    this.bridge.query(toPgScript(sql));
    return this;
  }

  /** SQLite's pragmas have no meaning here: settings read back as SQLite's defaults would. */
  pragma(source: string, options?: { simple?: boolean }): unknown {
    if (/busy_timeout\s*$/.test(source)) return options?.simple ? 5000 : [{ timeout: 5000 }];
    return options?.simple ? undefined : [];
  }

  transaction<A extends unknown[], R>(fn: (...args: A) => R): TxFn<A, R> {
    const run = (...args: A): R => this.inTx(() => fn(...args));
    return Object.assign(run, { deferred: run, immediate: run, exclusive: run });
  }

  close(): void {
    if (!this.isOpen) return;
    this.isOpen = false;
    this.bridge.close();
  }

  private inTx<R>(fn: () => R): R {
    const savepoint = `sp${this.depth}`;
    if (this.depth === 0) {
      this.bridge.query('BEGIN');
      try {
        this.bridge.query('SELECT pg_advisory_xact_lock($1)', [WRITER_LOCK]);
      } catch (err) {
        this.rollbackQuietly('ROLLBACK');
        throw err;
      }
    } else this.bridge.query(`SAVEPOINT ${savepoint}`);
    this.depth++;
    let result: R;
    try {
      result = fn();
      if (result instanceof Promise) throw new AppError('internal', 'a transaction function must not be async');
    } catch (err) {
      this.depth--;
      this.rollbackQuietly(this.depth === 0 ? 'ROLLBACK' : `ROLLBACK TO SAVEPOINT ${savepoint}`);
      throw err;
    }
    this.depth--;
    this.bridge.query(this.depth === 0 ? 'COMMIT' : `RELEASE SAVEPOINT ${savepoint}`);
    return result;
  }

  private rollbackQuietly(sql: string): void {
    try {
      this.bridge.query(sql);
    } catch {
      // The connection is gone: the server rolled the transaction back itself.
    }
  }
}

/** The URL without its password, for logs and the store's `path`. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return 'postgres://(unparsable url)';
  }
}

/** The facade typed as the better-sqlite3 Database the repositories take. */
export function asSqliteDatabase(db: PgDatabase): Database.Database {
  return db as unknown as Database.Database;
}
