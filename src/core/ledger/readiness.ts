import { plural } from '../plural.js';
import type { GuardResult } from './guards.js';
import type { LedgerEntry } from './types.js';

// Readiness: a dropped fork hunk nobody accepted, or a failing feature guard, blocks Approve & merge.

export interface LedgerBlock {
  unaccepted: LedgerEntry[];
  failingGuards: GuardResult[];
}

export function ledgerBlock(
  entries: readonly LedgerEntry[],
  guards: readonly GuardResult[],
  acceptedIds: ReadonlySet<string>,
): LedgerBlock | null {
  const unaccepted = entries.filter((e) => e.fate === 'dropped' && !acceptedIds.has(e.id));
  const failing = guards.filter((g) => !g.ok);
  return unaccepted.length === 0 && failing.length === 0 ? null : { unaccepted, failingGuards: failing };
}

/** The reason Approve & merge gives. */
export function ledgerBlockReason(block: LedgerBlock, pr: number): string {
  const parts: string[] = [];
  if (block.unaccepted.length > 0) {
    const ids = block.unaccepted.slice(0, 3).map((e) => e.id);
    parts.push(
      `${plural(block.unaccepted.length, 'fork hunk')} dropped by the sync (${ids.join(', ')}${block.unaccepted.length > 3 ? ', …' : ''}); restore it or accept each with \`upstream-sync ledger accept --pr ${pr} --hunk ID\``,
    );
  }
  if (block.failingGuards.length > 0) {
    const g = block.failingGuards[0] as GuardResult;
    parts.push(
      `${plural(block.failingGuards.length, 'feature guard')} failing (${g.feature}: ${g.failures[0] ?? 'failed'}${block.failingGuards.length > 1 ? '; …' : ''})`,
    );
  }
  return `PR #${pr}: ${parts.join('; ')}.`;
}
