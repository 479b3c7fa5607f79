import { openPostgresStore } from '../adapters/store/pg/open-postgres-store.js';
import { redactUrl } from '../adapters/store/pg/pg-database.js';
import type { Config } from '../config/schema.js';
import { postgresUrlFrom } from '../config/store-schema.js';
import { errorMessage } from '../errors.js';
import { fail, ok, type CheckResult } from './check.js';

/** `store: { kind: postgres }`: the URL is in the environment, the server answers, the schema migrates. */
export function checkPostgres(
  config: Pick<Config, 'store'>,
  environment: Record<string, string | undefined> = process.env,
): CheckResult {
  const title = 'database';
  const url = postgresUrlFrom(config.store, environment);
  if (!url.ok)
    return fail('database', title, url.message, 'set it to the PostgreSQL URL (postgres://user:pass@host/db)', true);
  try {
    const store = openPostgresStore(url.url);
    const version = store.schemaVersion();
    store.close();
    return ok('database', title, `PostgreSQL answers and its schema is migrated (v${version}, ${redactUrl(url.url)})`);
  } catch (err) {
    return fail(
      'database',
      title,
      `PostgreSQL at ${redactUrl(url.url)} cannot be reached or migrated (${errorMessage(err)})`,
      'check the URL, that the server is up and that the user may create tables',
      true,
    );
  }
}
