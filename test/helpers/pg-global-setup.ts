import type { TestProject } from 'vitest/node';
import { startPostgres } from './postgres.js';

declare module 'vitest' {
  export interface ProvidedContext {
    postgresUrl: string;
  }
}

// The "postgres" vitest project's server: one per run, stopped at the end. Failing to start fails
// the run (CI installs Debian's postgresql in .ci/install-postgres.sh).
export default async function setup(project: TestProject): Promise<() => void> {
  const server = await startPostgres();
  project.provide('postgresUrl', server.url);
  // Forked test workers and the child processes they spawn read it from the environment.
  process.env.UPSTREAM_SYNC_TEST_POSTGRES_URL = server.url;
  return () => server.stop();
}
