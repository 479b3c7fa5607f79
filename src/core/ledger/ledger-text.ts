import type { LedgerRecord } from '../../ports/ledger-records.js';
import { ledgerCountsLine } from './ledger-markdown.js';

// `upstream-sync ledger` for people: which sync, how old the facts are, then every hunk by fate;
// absorbed hunks are the fork patches upstream now carries (candidates for deletion).

export function ledgerText(record: LedgerRecord, accepted: ReadonlySet<string>, now: Date): string[] {
  const ageMin = Math.max(0, Math.round((now.getTime() - Date.parse(record.builtAt)) / 60_000));
  const lines = [
    `${record.pipeline} ${record.tag}${record.prNumber ? ` PR #${record.prNumber}` : ''}: head ${record.headSha.slice(0, 12)}, built ${ageMin} min ago`,
    ledgerCountsLine(record),
  ];
  if (record.pendingPaths.length > 0)
    lines.push(`${record.pendingPaths.length} conflicted file(s) not classified yet (built before resolution)`);
  for (const fate of ['dropped', 'adapted', 'absorbed', 'kept'] as const) {
    const entries = record.entries.filter((e) => e.fate === fate);
    if (entries.length === 0) continue;
    lines.push('', `${fate}${fate === 'absorbed' ? ' (upstream carries these: the fork patch can go)' : ''}:`);
    for (const e of entries) {
      const mark = fate === 'dropped' && accepted.has(e.id) ? ' [accepted]' : '';
      lines.push(`  ${e.id}${mark}${e.detail ? `  ${e.detail}` : ''}`);
    }
  }
  const failing = record.guards.filter((g) => !g.ok);
  if (record.guards.length > 0)
    lines.push('', `feature guards: ${record.guards.length - failing.length} of ${record.guards.length} pass`);
  for (const g of failing) lines.push(`  ✗ ${g.feature}: ${g.failures.join('; ')}`);
  return lines;
}
