import { describe, expect, it } from 'vitest';
import type { SyncSnapshot } from '../../src/ports/sync-cards.js';
import { ledgerLine } from '../../src/slack/views/sync-card.js';

const snap = (ledgerBlock: SyncSnapshot['ledgerBlock']) => ({ ledgerBlock }) as SyncSnapshot;

describe('the card line of the fork-patch ledger', () => {
  it('names dropped hunks and failing guards; nothing when nothing blocks', () => {
    expect(ledgerLine(snap({ dropped: 3, guardsFailing: 0 }))).toBe(
      '⛔ 3 fork hunks dropped: Approve & merge is refused until each is restored or accepted (see the thread)',
    );
    expect(ledgerLine(snap({ dropped: 1, guardsFailing: 2 }))).toMatch(
      /^⛔ 1 fork hunk dropped · 2 feature guards failing:/,
    );
    expect(ledgerLine(snap(null))).toBeNull();
    expect(ledgerLine(snap(undefined))).toBeNull();
    expect(ledgerLine(snap({ dropped: 0, guardsFailing: 0 }))).toBeNull();
  });

  it('names accepted drops: still blocked by the rest, or nothing blocks any more', () => {
    expect(ledgerLine(snap({ dropped: 1, guardsFailing: 0, accepted: 2 }))).toMatch(
      /^⛔ 1 fork hunk dropped · 2 accepted: Approve & merge is refused/,
    );
    expect(ledgerLine(snap({ dropped: 0, guardsFailing: 0, accepted: 1 }))).toBe(
      '✅ fork-patch ledger: 1 dropped fork hunk accepted, nothing blocks',
    );
  });
});
