import { describe, expect, it } from 'vitest';
import { buildLedger } from '../../../src/core/ledger/classify.js';
import { ledgerFixture } from '../../../src/core/ledger/fixture.js';
import { droppedCardLine, LEDGER_SHOWN_HUNKS, ledgerSection } from '../../../src/core/ledger/ledger-markdown.js';

describe('ledgerSection', () => {
  it('shows counts, then dropped before adapted, capped with a pointer to the rest', () => {
    const ledger = buildLedger(ledgerFixture(20));
    const text = ledgerSection(ledger, 'upstream-sync ledger --pr 7').join('\n');
    expect(text).toContain('20 kept · 20 absorbed · 20 adapted · 20 dropped');
    expect(text).toContain('Approve & merge is refused');
    expect(text.indexOf('**dropped**')).toBeLessThan(text.indexOf('**adapted**'));
    expect(text.match(/^- \*\*/gm)).toHaveLength(LEDGER_SHOWN_HUNKS);
    expect(text).toContain(`… and ${40 - LEDGER_SHOWN_HUNKS} more: upstream-sync ledger --pr 7`);
    expect(text).toContain('+const dropped0_10 = forkCompute(10);');
  });

  it('no warning and no card line when nothing was dropped', () => {
    const ledger = buildLedger(ledgerFixture(1).filter((f) => f.expected !== 'dropped'));
    expect(ledgerSection(ledger).join('\n')).not.toContain('WARNING');
    expect(droppedCardLine(ledger)).toBeNull();
    expect(droppedCardLine(buildLedger(ledgerFixture(2)))).toBe('⛔ 2 fork hunks dropped');
  });
});
