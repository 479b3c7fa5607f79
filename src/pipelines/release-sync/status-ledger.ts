import type { LedgerRecords } from '../../ports/ledger-records.js';
import { ledgerBlock, ledgerBlockReason } from '../../core/ledger/readiness.js';

// `status`: an open sync PR whose fork-patch ledger blocks Approve & merge says so, with the age
// of the ledger (it was built for a head that may have moved since).

export function ledgerWarnings(
  ledgers: LedgerRecords | undefined,
  pipeline: string,
  pr: number | null,
  now: Date,
): string[] {
  if (!ledgers || pr === null) return [];
  const record = ledgers.latest(pipeline, { pr });
  if (!record) return [];
  const accepted = new Set(ledgers.acceptances(pipeline, record.tag).map((a) => a.hunkId));
  const block = ledgerBlock(record.entries, record.guards, accepted);
  if (!block) return [];
  const age = Math.max(0, Math.round((now.getTime() - Date.parse(record.builtAt)) / 60_000));
  return [`${ledgerBlockReason(block, pr)} (ledger of ${record.headSha.slice(0, 7)}, built ${age} min ago)`];
}
