import type { SyncResult } from '../pipelines/release-sync/sync-types.js';
import { count } from '../core/wording.js';

// A CLI sync that meets conflicts leaves a resolver job that only a running bot (or `resolve`)
// executes; the output says so, instead of ending silently on a PR that is not ready.

/** What the person does next after this sync result, or null when nothing is waiting on them. */
export function nextStep(r: SyncResult, pipelines: number): string | null {
  if (r.dryRun || !r.pr || !r.conflicts.length) return null;
  const which = pipelines > 1 ? ` --pipeline ${r.pipeline}` : '';
  return `conflicts in ${count(r.conflicts.length, 'file')}: run \`upstream-sync resolve --pr ${r.pr.number}${which}\`, or the running bot will (or sync again with --resolve)`;
}
