import { ledgerSection } from '../../core/ledger/ledger-markdown.js';
import type { LedgerRecord } from '../../ports/ledger-records.js';

// The ledger's part of a sync PR body (counts, then dropped and adapted hunks in full, capped,
// then failing feature guards) and the card's blocking counts at build time. Shared by every
// kind that merges (release-sync, branch-sync).

export function ledgerPrSection(record: Omit<LedgerRecord, 'builtAt'>): string[] {
  const section = ledgerSection(
    { entries: record.entries, counts: record.counts },
    `\`upstream-sync ledger --pipeline ${record.pipeline}\` lists every hunk`,
  );
  if (record.pendingPaths.length > 0)
    section.push(
      `_The sync has conflicts: the fork's ${record.pendingPaths.length} changed file(s) are classified once they are resolved; Approve & merge checks the ledger of the resolved head._`,
      '',
    );
  const failing = record.guards.filter((g) => !g.ok);
  for (const g of failing) section.push(`- ⛔ feature guard **${g.feature}**: ${g.failures.join('; ')}`);
  if (failing.length > 0) section.push('');
  return section;
}
