import type { Logger } from 'pino';
import type { Actor, SyncNotifier, SyncRef, SyncUpdate } from '../ports.js';

// The card of a merge made before any PR exists (branch-sync's upstream ranges, a mirror's merges
// into target). Never fails a run: Slack comes after the work and only records (invariant 10).

export interface CardRun {
  log: Logger;
  dryRun: boolean;
  silent: boolean;
  requestedBy: Actor;
  jobId: number | null;
}

/** Moves the card (nothing on a dry run), then `then` (its thread replies); a failure is only logged as `failure`. */
export async function changeCard(
  notifier: SyncNotifier,
  run: CardRun,
  ref: SyncRef,
  update: SyncUpdate,
  failure: string,
  then?: () => Promise<void>,
): Promise<void> {
  if (run.dryRun) return;
  try {
    await notifier.syncChanged(ref, {
      ...update,
      silent: run.silent,
      jobId: run.jobId,
      requestedBy: run.requestedBy,
    });
    if (then) await then();
  } catch (err) {
    run.log.warn({ err }, failure);
  }
}
