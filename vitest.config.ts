import { defineConfig } from 'vitest/config';

// Forks, not threads: git code passes cwd everywhere, but child processes, signals and
// better-sqlite3 behave most like production in a real process.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 60_000,
    restoreMocks: true,
  },
});
