import { defineConfig } from 'vitest/config';

// The store contract: these files run twice, on SQLite and (the "postgres" project) on a
// throwaway PostgreSQL. Set UPSTREAM_SYNC_SKIP_POSTGRES=1 to leave the second run out locally;
// CI never does (test/helpers/postgres.ts).
const STORE_CONTRACT = [
  'test/adapters/store/audit-log.test.ts',
  'test/adapters/store/ci-fix-store.test.ts',
  'test/adapters/store/kind-repositories.test.ts',
  'test/adapters/store/repositories.test.ts',
  'test/adapters/store/resolver-store.test.ts',
  'test/adapters/store/sync-cards-store.test.ts',
  'test/adapters/store/webhook-deliveries.test.ts',
  'test/jobs/runner.test.ts',
  'test/pipelines/release-sync/sync-records.test.ts',
  'test/slack/outbox/outbox.test.ts',
  'test/slack/outbox/dropped-record.test.ts',
  'test/slack/outbox/outbox-post-once.test.ts',
  'test/workflows/ledger/build-ledger.test.ts',
  'test/jobs/runner-locks.test.ts',
  'test/jobs/runner-crash.test.ts',
  'test/jobs/runner-dead-owner.test.ts',
  'test/adapters/github/conditional-requests.test.ts',
  'test/jobs/schedule-rounds.test.ts',
];
const skipPostgres = process.env.UPSTREAM_SYNC_SKIP_POSTGRES === '1' && process.env.CI !== 'true';

// Forks, not threads: git code passes cwd everywhere, but child processes, signals and
// better-sqlite3 behave most like production in a real process.
export default defineConfig({
  test: {
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 60_000,
    restoreMocks: true,
    projects: [
      { extends: true, test: { name: 'sqlite', include: ['test/**/*.test.ts'] } },
      ...(skipPostgres
        ? []
        : [
            {
              extends: true as const,
              test: {
                name: 'postgres',
                include: STORE_CONTRACT,
                globalSetup: ['test/helpers/pg-global-setup.ts'],
                env: { UPSTREAM_SYNC_TEST_STORE: 'postgres' },
              },
            },
          ]),
    ],
  },
});
