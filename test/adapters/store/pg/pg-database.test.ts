import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type Database from 'better-sqlite3';
import { leaderLock } from '../../../../src/adapters/store/leader-lock.js';
import { openPostgresStore } from '../../../../src/adapters/store/pg/open-postgres-store.js';
import { presence } from '../../../../src/adapters/store/presence.js';
import { silentLogger } from '../../../../src/log.js';
import { SlackIntake } from '../../../../src/slack/app/slack-intake.js';
import { asSqliteDatabase, PgDatabase } from '../../../../src/adapters/store/pg/pg-database.js';
import { postgresSkipped, startPostgres, type TestPostgres } from '../../../helpers/postgres.js';

// The synchronous facade over PostgreSQL: transactions as better-sqlite3 runs them, a lost
// connection never reported as a commit, and the leader lock handed over when its holder goes.

let server: TestPostgres | null = null;
const opened: PgDatabase[] = [];
beforeAll(async () => {
  if (!postgresSkipped) server = await startPostgres();
});
afterAll(() => {
  opened.forEach((db) => db.close());
  server?.stop();
});

async function open(url?: string): Promise<{ db: PgDatabase; url: string }> {
  const at = url ?? (await server!.createDatabase());
  const db = new PgDatabase(at);
  opened.push(db);
  return { db, url: at };
}

describe.skipIf(postgresSkipped)('PgDatabase', () => {
  it('commits a transaction, rolls back a throwing one, and a nested one alone', async () => {
    const { db } = await open();
    db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY AUTOINCREMENT, v TEXT NOT NULL)');
    const insert = db.prepare('INSERT INTO t (v) VALUES (?) RETURNING id');
    const count = db.prepare('SELECT COUNT(*) FROM t').pluck();
    expect(db.transaction(() => insert.get('a'))()).toEqual({ id: 1 });
    expect(() =>
      db.transaction(() => {
        insert.run('b');
        throw new Error('no');
      })(),
    ).toThrow('no');
    expect(count.get()).toBe(1);
    db.transaction(() => {
      insert.run('c');
      expect(() =>
        db.transaction(() => {
          insert.run('d');
          throw new Error('inner');
        })(),
      ).toThrow('inner');
    }).immediate();
    expect(db.prepare('SELECT v FROM t ORDER BY id').pluck().all()).toEqual(['a', 'c']);
    expect(db.prepare('UPDATE t SET v = @v WHERE v = @v').run({ v: 'c' }).changes).toBe(1);
  });

  it('a connection lost inside a transaction fails it; nothing is half-written and the next call reconnects', async () => {
    const { db, url } = await open();
    const { db: admin } = await open(url);
    db.exec('CREATE TABLE t (v TEXT)');
    const pid = db.prepare('SELECT pg_backend_pid()').pluck().get() as number;
    expect(() =>
      db.transaction(() => {
        db.prepare('INSERT INTO t (v) VALUES (?)').run('lost');
        admin.prepare('SELECT pg_terminate_backend(?)').get(pid);
        // Let the worker see the socket close: the COMMIT that follows must not go to a new connection.
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 300);
      })(),
    ).toThrow(/lost inside a transaction|terminat|closed/);
    expect(db.prepare('SELECT COUNT(*) FROM t').pluck().get()).toBe(0);
    expect(db.inTransaction).toBe(false);
  });

  it('one leader at a time; the lock moves on when its holder closes', async () => {
    const { db: a, url } = await open();
    const { db: b } = await open(url);
    const leaderA = leaderLock(asSqliteDatabase(a), 'slack-outbox');
    const leaderB = leaderLock(asSqliteDatabase(b), 'slack-outbox');
    expect(leaderA()).toBe(true);
    expect(leaderA()).toBe(true);
    expect(leaderB()).toBe(false);
    a.close();
    expect(leaderB()).toBe(true);
  });

  it('SQLite keeps a single process: always the leader', async () => {
    const BetterSqlite = (await import('better-sqlite3')).default;
    const db: Database.Database = new BetterSqlite(':memory:');
    expect(leaderLock(db, 'slack-outbox')()).toBe(true);
    db.close();
  });

  it('a replica resumes the Slack requests of a gone replica, never those of a live one', async () => {
    const url = await server!.createDatabase();
    const clock = { now: () => new Date('2026-04-01T10:00:00Z') };
    const a = openPostgresStore(url, { clock });
    const b = openPostgresStore(url, { clock });
    const intakeA = new SlackIntake(a.db, clock, silentLogger(), presence(a.db, 'host-a:101:aaaaaaaa'));
    const intakeB = new SlackIntake(b.db, clock, silentLogger(), presence(b.db, 'host-b:102:bbbbbbbb'));
    intakeA.record('command', { text: 'sync' });
    intakeB.record('command', { text: 'status' }).done();
    expect(intakeB.unfinished()).toEqual([]);
    a.close();
    expect(intakeB.unfinished().map((r) => r.request)).toEqual([{ text: 'sync' }]);
    b.close();
  });

  it('a replica stays present across a reconnect: its presence lock is taken again', async () => {
    const { db: a, url } = await open();
    const { db: b } = await open(url);
    const presentA = presence(asSqliteDatabase(a), 'host-a:101:aaaaaaaa');
    const fromB = presence(asSqliteDatabase(b), 'host-b:102:bbbbbbbb');
    expect(fromB.isGone(presentA.owner)).toBe(false);
    const pid = a.prepare('SELECT pg_backend_pid()').pluck().get() as number;
    b.prepare('SELECT pg_terminate_backend(?)').get(pid);
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 300);
    // Outside a transaction the next statement simply runs on a new connection.
    expect(a.prepare('SELECT 1 AS one').get()).toEqual({ one: 1 });
    expect(a.prepare('SELECT pg_backend_pid()').pluck().get()).not.toBe(pid);
    expect(fromB.isGone(presentA.owner)).toBe(false);
    a.close();
    expect(fromB.isGone(presentA.owner)).toBe(true);
  });
});
