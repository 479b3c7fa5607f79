import type { Actor } from '../../ports.js';
import type { JobError } from '../../ports/job-store.js';
import type { JobRecord, JobState } from '../../ports/jobs.js';
import { fromJson } from './json.js';

export interface JobRow {
  id: number;
  kind: string;
  pipeline: string | null;
  dedupe_key: string;
  locks: string;
  state: string;
  data: string;
  result: string | null;
  attempts: number;
  max_attempts: number;
  error: string | null;
  requested_by: string;
  lease_owner: string | null;
  lease_until: string | null;
  run_after: string;
  created_at: string;
  updated_at: string;
  finished_at: string | null;
}

export function toJobRecord(row: JobRow): JobRecord {
  return {
    id: row.id,
    kind: row.kind,
    pipeline: row.pipeline,
    dedupeKey: row.dedupe_key,
    locks: fromJson<string[]>(row.locks) ?? [],
    state: row.state as JobState,
    data: fromJson(row.data),
    result: fromJson(row.result),
    attempts: row.attempts,
    maxAttempts: row.max_attempts,
    error: fromJson<JobError>(row.error),
    requestedBy: fromJson<Actor>(row.requested_by) as Actor,
    leaseOwner: row.lease_owner,
    leaseUntil: row.lease_until,
    runAfter: row.run_after,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    finishedAt: row.finished_at,
  };
}
