import { describe, expect, it } from 'vitest';
import { postgresUrlFrom, storeSchema } from '../../src/config/store-schema.js';

describe('store config', () => {
  it('defaults to SQLite, and postgres reads DATABASE_URL unless told another variable', () => {
    expect(storeSchema.parse(undefined)).toEqual({ kind: 'sqlite', leaseSeconds: 60 });
    const pg = storeSchema.parse({ kind: 'postgres' });
    expect(postgresUrlFrom(pg, { DATABASE_URL: 'postgres://u:p@db/x' })).toEqual({
      ok: true,
      url: 'postgres://u:p@db/x',
      variable: 'DATABASE_URL',
    });
    const named = storeSchema.parse({ kind: 'postgres', url: '${PG_URL}' });
    expect(postgresUrlFrom(named, { PG_URL: 'postgres://db/y' })).toMatchObject({ ok: true, url: 'postgres://db/y' });
    expect(postgresUrlFrom(named, {})).toEqual({
      ok: false,
      message: 'store.url: the environment variable PG_URL is not set',
    });
  });

  it('refuses a password written in the file, a URL of another scheme, and a url on a SQLite store', () => {
    const problems = (input: unknown) =>
      storeSchema.safeParse(input).error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    expect(problems({ kind: 'postgres', url: 'postgres://bot:hunter22@db/x' })).toEqual([
      expect.stringMatching(/^url: holds a password: put the URL in the environment/),
    ]);
    expect(problems({ kind: 'postgres', url: 'mysql://db/x' })).toEqual([
      'url: must be a postgres:// URL, or "${ENV_VAR}"',
    ]);
    expect(problems({ kind: 'sqlite', url: '${DATABASE_URL}' })).toEqual(['url: only a postgres store has a url']);
    expect(problems({ kind: 'postgres', url: 'postgres://db.internal/x' })).toBeUndefined();
  });
});
