import type { ReleaseSyncConfig } from '../../config/schema.js';
import type { HunkFate } from '../../core/ledger/types.js';
import { droppedCardLine, ledgerCountsLine } from '../../core/ledger/ledger-markdown.js';
import { ledgerPrSection } from '../../workflows/ledger/ledger-summary.js';
import type { LedgerRecords } from '../../ports/ledger-records.js';
import type { GitPort } from '../../ports.js';
import { recordLedger } from '../../workflows/ledger/ledger-service.js';
import type { SyncHeads } from './sync-git.js';

// The sync's fork-patch ledger, built once the sync branch exists (a memoized step of the sync):
// what the PR body shows and the thread is told. Files still in conflict are classified when the
// merge gate rebuilds the ledger for the resolved head.

export interface LedgerStepResult {
  counts: Record<HunkFate, number>;
  /** The PR body's section. */
  section: string[];
  /** The thread's note: counts, plus the dropped line when something was dropped. */
  note: string;
  /** For the card; null when nothing blocks Approve & merge. */
  block: { dropped: number; guardsFailing: number } | null;
}

export async function ledgerStep(
  deps: { git: GitPort; ledgers: LedgerRecords },
  p: ReleaseSyncConfig,
  input: { cache: string; tag: string; heads: SyncHeads; head: string; conflicted: string[] },
): Promise<LedgerStepResult | null> {
  const { git, ledgers } = deps;
  const base = await git.mergeBase(input.cache, input.heads.production, input.heads.tagCommit);
  if (!base) return null;
  const record = await recordLedger(git, ledgers, {
    pipeline: p.id,
    tag: input.tag,
    prNumber: null,
    repo: input.cache,
    revs: { base, production: input.heads.production, upstream: input.heads.tagCommit, result: input.head },
    guards: p.guards,
    guardsFile: p.guardsFile,
    deferAll: input.conflicted.length > 0,
  });
  const ledger = { entries: record.entries, counts: record.counts };
  const section = ledgerPrSection(record);
  const failing = record.guards.filter((g) => !g.ok);
  const dropped = droppedCardLine(ledger);
  const note = [
    `Fork-patch ledger: ${ledgerCountsLine(ledger)}`,
    ...(dropped ? [dropped] : []),
    ...failing.map((g) => `⛔ feature guard ${g.feature} failing`),
  ].join('\n');
  const block =
    record.counts.dropped > 0 || failing.length > 0
      ? { dropped: record.counts.dropped, guardsFailing: failing.length }
      : null;
  return { counts: record.counts, section, note, block };
}
