import { AppError, errorMessage } from '../../../errors.js';
import { storeOver, type Store, type StoreOptions } from '../open-store.js';
import { asSqliteDatabase, PgDatabase, redactUrl } from './pg-database.js';

/**
 * The same repositories as openStore, on PostgreSQL (`store: { kind: postgres }`). Several
 * replicas may open one database: migrations and every transaction serialize on one advisory
 * lock (pg-database.ts). The URL (with its password) comes from the environment, never the
 * config file; the store's `path` is the URL without the password.
 */
export function openPostgresStore(url: string, options: StoreOptions = {}): Store {
  const db = new PgDatabase(url);
  try {
    db.prepare('SELECT 1').get();
  } catch (err) {
    db.close();
    throw new AppError('config_invalid', `cannot connect to PostgreSQL at ${redactUrl(url)}: ${errorMessage(err)}`, {
      cause: err,
    });
  }
  try {
    return storeOver(asSqliteDatabase(db), db.name, options);
  } catch (err) {
    db.close();
    throw err;
  }
}
