import { openStore, type Store, type StoreOptions } from '../adapters/store/open-store.js';
import { openPostgresStore } from '../adapters/store/pg/open-postgres-store.js';
import type { Config } from '../config/schema.js';
import { postgresUrlFrom } from '../config/store-schema.js';
import { AppError } from '../errors.js';
import { registerSecrets } from '../redact.js';

/**
 * The store `config.store` names: the SQLite file in the data directory (default), or PostgreSQL
 * at the URL read from the environment. The URL and its password are registered as secrets, so
 * no log line, Slack message or error ever carries them.
 */
export function openConfiguredStore(
  config: Pick<Config, 'store'>,
  dataDir: string,
  options: StoreOptions,
  environment: Record<string, string | undefined> = process.env,
): Store {
  const store = config.store ?? { kind: 'sqlite' };
  if (store.kind === 'sqlite') return openStore(dataDir, options);
  const url = postgresUrlFrom(store, environment);
  if (!url.ok) throw new AppError('config_invalid', url.message);
  registerSecrets([url.url, passwordOf(url.url)]);
  return openPostgresStore(url.url, options);
}

function passwordOf(url: string): string | undefined {
  try {
    const password = decodeURIComponent(new URL(url).password);
    return password.length >= 4 ? password : undefined;
  } catch {
    return undefined;
  }
}
