import type { DeliveryRecord } from '../../ports/dispatch-records.js';
import type { KindResult } from '../pipeline-kind.js';

// The `sync` answer of a dispatch pipeline: one JSON line in the CLI (README "dispatch").

export type DispatchOutcome = 'baseline' | 'up-to-date' | 'delivered' | 'partial' | 'failed' | 'refused';

export type DeliveryLine = Omit<DeliveryRecord, 'changedPaths'>;

export interface DispatchResult extends KindResult {
  kind: 'dispatch';
  outcome: DispatchOutcome;
  /** The last source commit processed before this run (or --since); null for a baseline. */
  from: string | null;
  /** The source branch head this run processed. */
  to: string | null;
  deliveries: DeliveryLine[];
}

/** partial and failed exit 1; a refused --since is a usage error (2). */
export function dispatchExitCode(r: DispatchResult): number {
  if (r.outcome === 'refused') return 2;
  return r.outcome === 'partial' || r.outcome === 'failed' ? 1 : 0;
}

export function outcomeOf(deliveries: readonly DeliveryLine[]): DispatchOutcome {
  if (deliveries.length === 0) return 'up-to-date';
  const failed = deliveries.filter((d) => d.result === 'failed').length;
  if (failed === 0) return 'delivered';
  return failed === deliveries.length ? 'failed' : 'partial';
}

export function failedDispatch(pipeline: string, error: { code: string; message: string }): DispatchResult {
  return { pipeline, kind: 'dispatch', outcome: 'failed', from: null, to: null, deliveries: [], dryRun: false, error };
}

const short = (sha: string | null) => (sha ? sha.slice(0, 12) : '?');

export function describeDispatch(r: DispatchResult): string {
  const head = `${r.pipeline}: ${r.outcome}${r.dryRun ? ' (dry run)' : ''}`;
  const parts = [r.outcome === 'baseline' ? `${head} at ${short(r.to)}` : `${head} ${short(r.from)}..${short(r.to)}`];
  if (r.refused) parts.push(r.refused.message);
  for (const d of r.deliveries) {
    const what = d.pr ? `${d.result} PR #${d.pr.number} ${d.pr.url}` : d.result;
    parts.push(
      `${d.result === 'failed' ? '✗' : '✓'} ${d.subscriber} ${d.feature}: ${what}${d.error ? ` (${d.error})` : ''}`,
    );
  }
  if (r.error) parts.push(`error ${r.error.code}: ${r.error.message}`);
  return parts.join('; ');
}
