import { describe, expect, it } from 'vitest';
import type { LedgerDetail } from '../../src/ports.js';
import { buttonLabels, findButton } from '../../src/sandbox/slack/find-button.js';
import { visibleText } from '../../src/sandbox/slack/slack-shapes.js';
import { decodeValue } from '../../src/slack/action-ids.js';
import { LEDGER_THREAD_HUNKS, ledgerReply } from '../../src/slack/views/ledger-thread.js';

const drop = (n: number, accepted = false): LedgerDetail['dropped'][number] => ({
  id: `litellm/f${n}.py#1@abcdef0${n % 10}`,
  path: `litellm/f${n}.py`,
  detail: '1 fork line(s) missing from the sync result',
  diff: '-b = 2\n+b = CARTO',
  accepted: accepted ? { by: { kind: 'slack', id: 'U0ALICE01' }, at: '2026-12-04T10:00:00Z' } : null,
});

const detail = (dropped: LedgerDetail['dropped'], guardsFailing: LedgerDetail['guardsFailing'] = []): LedgerDetail => ({
  kind: 'ledger',
  pr: 12,
  headSha: 'abcdef0123456789',
  counts: { kept: 3, absorbed: 1, adapted: 0, dropped: dropped.length },
  dropped,
  guardsFailing,
  pending: 0,
});

describe('the ledger reply in the thread', () => {
  it('gives each unaccepted drop Restore fork side and Accept drop, confirmed, naming the hunk', () => {
    const m = ledgerReply('litellm', 'v1.81.0-stable', detail([drop(1), drop(2, true)]));
    const text = visibleText(m.blocks);
    expect(text).toContain('3 kept · 1 absorbed · 0 adapted · 2 dropped');
    expect(text).toContain('1 dropped fork hunk to restore or accept');
    expect(text).toContain('drop accepted by <@U0ALICE01>');
    expect(buttonLabels(m.blocks)).toEqual(['Restore fork side', 'Accept drop']);
    const accept = findButton(m.blocks, 'Accept drop')!.element;
    expect(accept.confirm).toBeTruthy();
    expect(decodeValue(accept.value as string)).toEqual({ p: 'litellm', t: 'v1.81.0-stable', pr: 12, h: drop(1).id });
    expect(findButton(m.blocks, 'Restore fork side')!.element.confirm).toBeTruthy();
  });

  it('says nothing blocks once every drop is accepted, and a failing guard still blocks', () => {
    expect(visibleText(ledgerReply('litellm', 't', detail([drop(1, true)])).blocks)).toContain(
      'Nothing in the ledger blocks Approve & merge',
    );
    const guarded = visibleText(
      ledgerReply('litellm', 't', detail([drop(1, true)], [{ feature: 'OCI', failures: ['oci.py is missing'] }]))
        .blocks,
    );
    expect(guarded).toContain('1 feature guard failing');
    expect(guarded).toContain('OCI');
  });

  it('caps the hunks with buttons and points at the CLI for the rest', () => {
    const many = Array.from({ length: LEDGER_THREAD_HUNKS + 5 }, (_, i) => drop(i + 1));
    const m = ledgerReply('litellm', 't', detail(many));
    expect(buttonLabels(m.blocks).filter((l) => l === 'Accept drop')).toHaveLength(LEDGER_THREAD_HUNKS);
    expect(visibleText(m.blocks)).toContain('…and 5 more dropped');
    expect(m.blocks.length).toBeLessThanOrEqual(50);
  });
});
