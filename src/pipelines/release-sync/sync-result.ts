import type { SyncResult } from './sync-types.js';

/** The `failed` line for a pipeline whose sync could not finish. */
export function failedResult(pipeline: string, dryRun: boolean, error: { code: string; message: string }): SyncResult {
  return {
    pipeline,
    outcome: 'failed',
    currentVersion: null,
    latestTag: null,
    pr: null,
    conflicts: [],
    dryRun,
    skipped: [],
    error,
  };
}
