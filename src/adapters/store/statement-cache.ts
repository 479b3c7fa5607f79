import type Database from 'better-sqlite3';

// better-sqlite3 compiles SQL in prepare(); the compiled statement stays valid for the life of
// the connection (SQLite re-prepares it by itself after a schema change). The runner polls the
// job table several times a second and every Slack action writes an audit row, so hot paths look
// their statements up here instead of compiling the same text again and again.

type Statement = Database.Statement<unknown[], unknown>;

export class StatementCache {
  private readonly statements = new Map<string, Statement>();
  private readonly plucked = new Map<string, Statement>();

  constructor(private readonly db: Database.Database) {}

  /** The statement for `sql`, compiled on first use. Lazily: tables may be migrated after construction. */
  prepare(sql: string): Statement {
    return this.lookup(this.statements, sql, false);
  }

  /** A statement returning only its first column: kept apart, because pluck() changes the statement it is called on. */
  pluck(sql: string): Statement {
    return this.lookup(this.plucked, sql, true);
  }

  private lookup(cache: Map<string, Statement>, sql: string, pluck: boolean): Statement {
    let statement = cache.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      if (pluck) statement.pluck();
      cache.set(sql, statement);
    }
    return statement;
  }
}
