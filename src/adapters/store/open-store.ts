import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { systemClock, type Clock } from '../../ports.js';
import { AppError, errorMessage } from '../../errors.js';
import { applyMigrations, schemaVersion, type Migration, type MigrationReport } from './migrate.js';
import { MIGRATIONS } from './migrations/index.js';
import { dataDirProblem } from './data-dir-problem.js';
import { SqliteAuditLog } from './audit-log.js';
import { SqliteJobStore } from './sqlite-job-store.js';
import { SqliteScheduleState } from './schedule-state.js';
import { SqliteSlackMessages } from './slack-messages.js';
import { SqliteSyncCards } from './sync-cards-store.js';
import { SqliteWebhookDeliveries } from './webhook-deliveries.js';

export const DB_FILE = 'upstream-sync.db';

export interface StoreOptions {
  clock?: Clock;
  /** Defaults to every migration the code knows; tests pass their own lists. */
  migrations?: readonly Migration[];
  /** How long a write waits for another process's write lock before failing. */
  busyTimeoutMs?: number;
}

export interface Store {
  /** File path, or ":memory:". */
  readonly path: string;
  /** For repositories other modules add with their own migrations (002 sync, 003 resolver, …). */
  readonly db: Database.Database;
  readonly migration: MigrationReport;
  readonly jobs: SqliteJobStore;
  readonly audit: SqliteAuditLog;
  readonly slackMessages: SqliteSlackMessages;
  /** The syncs' lifecycle state (the SyncCards port). */
  readonly syncCards: SqliteSyncCards;
  readonly webhookDeliveries: SqliteWebhookDeliveries;
  readonly scheduleState: SqliteScheduleState;
  schemaVersion(): number;
  close(): void;
}

/** Opens (creating if needed) `<dataDir>/upstream-sync.db` and migrates it. */
export function openStore(dataDir: string, options: StoreOptions = {}): Store {
  try {
    mkdirSync(dataDir, { recursive: true });
  } catch (err) {
    throw new AppError('config_invalid', `cannot create the data directory ${dataDir}: ${errorMessage(err)}`, {
      cause: err,
    });
  }
  try {
    return openDatabase(join(dataDir, DB_FILE), options);
  } catch (err) {
    const problem = dataDirProblem(dataDir, DB_FILE);
    if (problem) throw new AppError('config_invalid', problem, { cause: err });
    throw err;
  }
}

/** A private in-memory database: for unit tests of code that only needs a store. */
export function openMemoryStore(options: StoreOptions = {}): Store {
  return openDatabase(':memory:', options);
}

function openDatabase(path: string, options: StoreOptions): Store {
  const db = new Database(path);
  try {
    // WAL: readers never block the writer, and a killed process loses nothing it committed.
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    db.pragma(`busy_timeout = ${options.busyTimeoutMs ?? 5000}`);
    return storeOver(db, path, options);
  } catch (err) {
    db.close();
    throw err;
  }
}

/** The repositories over an open database (SQLite, or PostgreSQL through its facade), migrated. */
export function storeOver(db: Database.Database, path: string, options: StoreOptions): Store {
  const clock = options.clock ?? systemClock;
  const migration = applyMigrations(db, options.migrations ?? MIGRATIONS, () => clock.now());
  return {
    path,
    db,
    migration,
    jobs: new SqliteJobStore(db),
    audit: new SqliteAuditLog(db, clock),
    slackMessages: new SqliteSlackMessages(db, clock),
    syncCards: new SqliteSyncCards(db),
    webhookDeliveries: new SqliteWebhookDeliveries(db, clock),
    scheduleState: new SqliteScheduleState(db, clock),
    schemaVersion: () => schemaVersion(db),
    close: () => {
      if (db.open) db.close();
    },
  };
}
