import { plural } from '../plural.js';
import { code } from '../sync/pr-body.js';
import type { Ledger, LedgerEntry } from './types.js';

// The ledger in the sync PR body: counts first, then every dropped and adapted hunk in full (the
// ones a reviewer must look at), capped so the body stays under GitHub's size limit.

export const LEDGER_SHOWN_HUNKS = 30;
const MAX_HUNK_LINES = 40;

export function ledgerCountsLine(ledger: Pick<Ledger, 'counts'>): string {
  const c = ledger.counts;
  return `${c.kept} kept · ${c.absorbed} absorbed · ${c.adapted} adapted · ${c.dropped} dropped`;
}

/** The card's one line; null when nothing was dropped. */
export function droppedCardLine(ledger: Pick<Ledger, 'counts'>): string | null {
  return ledger.counts.dropped > 0 ? `⛔ ${plural(ledger.counts.dropped, 'fork hunk')} dropped` : null;
}

function hunkDiff(e: LedgerEntry): string[] {
  const body = [...e.removed.map((l) => `-${l}`), ...e.added.map((l) => `+${l}`)];
  if (e.kind === 'deleted-file') return [`(the fork deleted this file; ${plural(e.removed.length, 'line')})`];
  if (e.kind === 'renamed-file') return [`(renamed from ${e.basePath ?? '?'})`];
  const shown = body.slice(0, MAX_HUNK_LINES);
  if (body.length > shown.length) shown.push(`… ${body.length - shown.length} more lines`);
  return shown.map((l) => l.replace(/```/g, '`\u200b``'));
}

function entryBlock(e: LedgerEntry): string[] {
  const where = e.basePath && e.basePath !== e.path ? `${code(e.basePath)} → ${code(e.path)}` : code(e.path);
  return [
    `- **${e.fate}** ${where} line ${e.forkLine} (${code(e.id)})${e.detail ? `: ${e.detail}` : ''}`,
    '',
    '  ```diff',
    ...hunkDiff(e).map((l) => `  ${l}`),
    '  ```',
  ];
}

/** `restUrl`: where the rest can be read (e.g. the CLI or a status page); shown when the cap is hit. */
export function ledgerSection(ledger: Ledger, restHint: string | null = null): string[] {
  const total = ledger.entries.length;
  const lines = [`### 🧾 Fork-patch ledger: ${plural(total, 'fork hunk')}`, '', ledgerCountsLine(ledger), ''];
  if (ledger.counts.dropped > 0) {
    lines.push(
      '> [!WARNING]',
      `> ${plural(ledger.counts.dropped, 'fork hunk')} dropped: not in the sync result and not in upstream. Approve & merge is refused until each is restored or accepted.`,
      '',
    );
  }
  const notable = [
    ...ledger.entries.filter((e) => e.fate === 'dropped'),
    ...ledger.entries.filter((e) => e.fate === 'adapted'),
  ];
  const shown = notable.slice(0, LEDGER_SHOWN_HUNKS);
  for (const e of shown) lines.push(...entryBlock(e));
  if (notable.length > shown.length) {
    lines.push('', `… and ${notable.length - shown.length} more${restHint ? `: ${restHint}` : ''}`);
  }
  lines.push('');
  return lines;
}
