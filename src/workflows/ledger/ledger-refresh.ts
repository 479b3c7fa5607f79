import { createHash } from 'node:crypto';
import type { LedgerRecord, LedgerRecords } from '../../ports/ledger-records.js';
import type { LedgerDetail, SyncCardReader, SyncNotifier } from '../../ports.js';
import type { LedgerEntry } from '../../core/ledger/types.js';
import { ledgerRefusal } from './ledger-service.js';

// After every rebuild of a ledger (the sync, the merge gate, a new head on the sync branch, a
// restored hunk) and every accepted drop, the card's ledger line and a thread reply are brought in
// line with what is stored, so Slack never shows a drop that was restored or accepted, or hides
// one that came back. The thread reply is keyed by head and acceptances: the same state is posted once.

export interface LedgerRefreshDeps {
  ledgers: LedgerRecords;
  notifier: SyncNotifier;
  cards: SyncCardReader;
}

const DIFF_LINES = 30;

function diffOf(e: LedgerEntry): string {
  if (e.kind === 'deleted-file') return `(the fork deleted this file: ${e.removed.length} line(s))`;
  if (e.kind === 'renamed-file') return `(renamed from ${e.basePath ?? '?'})`;
  const lines = [...e.removed.map((l) => `-${l}`), ...e.added.map((l) => `+${l}`)];
  const shown = lines.slice(0, DIFF_LINES);
  if (lines.length > shown.length) shown.push(`… ${lines.length - shown.length} more lines`);
  return shown.join('\n');
}

/** `takenByRule`: paths a configured rule resolves by taking upstream: drops the team decided already. */
export function ledgerDetail(
  record: Omit<LedgerRecord, 'builtAt'>,
  ledgers: LedgerRecords,
  takenByRule: (path: string) => boolean = () => false,
): LedgerDetail {
  const accepted = new Map(ledgers.acceptances(record.pipeline, record.tag).map((a) => [a.hunkId, a]));
  const byRule = { by: { kind: 'bot' as const, id: 'a resolution rule' }, at: new Date(0).toISOString() };
  return {
    kind: 'ledger',
    pr: record.prNumber,
    headSha: record.headSha,
    counts: record.counts,
    dropped: record.entries
      .filter((e) => e.fate === 'dropped')
      .map((e) => {
        const a = accepted.get(e.id);
        return {
          id: e.id,
          path: e.path,
          detail: e.detail,
          diff: diffOf(e),
          accepted: a ? { by: a.acceptedBy, at: a.at } : takenByRule(e.path) ? byRule : null,
        };
      }),
    guardsFailing: record.guards.filter((g) => !g.ok).map((g) => ({ feature: g.feature, failures: g.failures })),
    pending: record.pendingPaths.length,
  };
}

/** The card's ledger facts: what blocks (unaccepted drops, failing guards) and what was accepted. */
export function ledgerBlockOf(detail: LedgerDetail): { dropped: number; guardsFailing: number; accepted: number } {
  const accepted = detail.dropped.filter((d) => d.accepted).length;
  return { dropped: detail.dropped.length - accepted, guardsFailing: detail.guardsFailing.length, accepted };
}

/** The thread reply's idempotency key: one reply per head and state of acceptances and guards. */
export function ledgerReplyKey(detail: LedgerDetail): string {
  const state = createHash('sha256')
    .update(JSON.stringify([detail.dropped.map((d) => [d.id, Boolean(d.accepted)]), detail.guardsFailing]))
    .digest('hex')
    .slice(0, 12);
  return `ledger:${detail.headSha}:${state}`;
}

/**
 * Refreshes the card and thread of the record's sync; returns why Approve & merge is refused now
 * (null when nothing blocks). Never throws for Slack: the notifier only records.
 */
export async function refreshLedger(
  deps: LedgerRefreshDeps,
  record: Omit<LedgerRecord, 'builtAt'>,
  takenByRule: (path: string) => boolean = () => false,
): Promise<string | null> {
  const ref = { pipeline: record.pipeline, tag: record.tag };
  const detail = ledgerDetail(record, deps.ledgers, takenByRule);
  const card = deps.cards.get(ref);
  if (card) {
    await deps.notifier.syncChanged(ref, { stage: card.snapshot.stage, ledgerBlock: ledgerBlockOf(detail) });
    await deps.notifier.syncDetail(ref, detail, { key: ledgerReplyKey(detail) });
  }
  return ledgerRefusal(deps.ledgers, { ...record, builtAt: '' }, record.prNumber ?? 0, takenByRule);
}
