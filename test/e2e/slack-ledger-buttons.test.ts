import { describe, expect, it } from 'vitest';
import { buttonAction, buttonLabels, findButton } from '../../src/sandbox/slack/find-button.js';
import type { StoredMessage } from '../../src/sandbox/slack/slack-state.js';
import { CARD_KIND } from '../../src/slack/outbox/outbox-dispatcher.js';
import { FORK, publishRelease } from '../pipelines/release-sync/harness.js';
import { ALICE, BOB, OPS, TAG, slackWorld, type SlackWorld } from './slack-world.js';

// Issue 20: a dropped fork hunk gets Accept drop and Restore fork side in the card's thread. The
// hunk and PR acted on come from the stored ledger; the card and thread are refreshed after every
// rebuild (a push to the sync branch, an accepted drop, a restored hunk).

const SYNC_BRANCH = `upstream-sync/${TAG}`;

/** The fork customises app.py, the sync keeps it, then a push to the sync branch drops it again. */
async function droppedOnReadyPr(w: SlackWorld): Promise<{ pr: number; head: string }> {
  await w.github.pushCommit(FORK, {
    branch: 'carto/main',
    files: { 'litellm/app.py': 'a = 1\nb = CARTO\nc = 3\n' },
    message: 'feat: carto b',
    as: 'carto-dev',
  });
  const s = await w.syncToPr();
  await w.until(() => w.services.ledgers.latest('litellm', { pr: s.pr.number }), 'the ledger of the sync');
  const head = await w.github.pushCommit(FORK, {
    branch: SYNC_BRANCH,
    files: { 'litellm/app.py': 'a = 1\nb = 2\nc = 3\n' },
    message: 'fix: take upstream',
    as: 'carto-dev',
  });
  await w.github.setCheckRun(FORK, head, { name: 'tests', status: 'completed', conclusion: 'success' });
  await w.until(() => w.snapshot()?.stage === 'ready', 'the card at ready');
  await w.until(() => w.snapshot()?.ledgerBlock?.dropped === 1, 'the card counting the dropped hunk');
  await w.until(() => w.cardText().includes('1 fork hunk dropped'), 'the ledger line on the card');
  return { pr: s.pr.number, head };
}

function threadMessages(w: SlackWorld): StoredMessage[] {
  const ts = w.services.store.slackMessages.get('litellm', TAG, CARD_KIND)?.ts;
  return ts ? w.slack.threadOf(OPS, ts) : [];
}

async function ledgerReplyWith(w: SlackWorld, label: string): Promise<StoredMessage> {
  return w.until(
    () => threadMessages(w).findLast((m) => buttonLabels(m.blocks).includes(label)),
    `a ledger reply with ${label}`,
  );
}

describe('Accept drop and Restore fork side in Slack (issue 20)', () => {
  it('Accept drop: allow-listed, confirmed, a tampered hunk refused and audited, then Approve goes through', async () => {
    const w = await slackWorld();
    const { pr } = await droppedOnReadyPr(w);
    const reply = await ledgerReplyWith(w, 'Accept drop');
    const found = findButton(reply.blocks, 'Accept drop')!;
    expect(found.element.confirm).toMatchObject({ confirm: { text: 'Accept drop' } });
    expect(findButton(reply.blocks, 'Restore fork side')?.element.confirm).toBeTruthy();
    const dropped = w.services.ledgers.latest('litellm', { pr })!.entries.find((e) => e.fate === 'dropped')!;
    const kept = w.services.ledgers.latest('litellm', { pr })!.entries.find((e) => e.fate === 'kept')!;
    const value = JSON.parse(String(buttonAction(found).value)) as Record<string, unknown>;
    expect(value).toMatchObject({ p: 'litellm', t: TAG, pr, h: dropped.id });

    // Not on the approve list: refused, nothing accepted.
    let mark = w.answers(BOB).length;
    await w.click(BOB, 'Accept drop', reply);
    expect(await w.answer(BOB, mark)).toContain('You may not *approve*');

    // A value naming another hunk (kept, not dropped) is refused and audited.
    mark = w.answers(ALICE).length;
    await w.slack.sendBlockAction({
      user: ALICE,
      source: { kind: 'message', message: reply },
      action: { ...buttonAction(found), value: JSON.stringify({ ...value, h: kept.id }) },
    });
    expect(await w.answer(ALICE, mark)).toMatch(/Refused: hunk .* is kept, not dropped/);
    // A value naming another PR: the card's record decides, refused.
    mark = w.answers(ALICE).length;
    await w.slack.sendBlockAction({
      user: ALICE,
      source: { kind: 'message', message: reply },
      action: { ...buttonAction(found), value: JSON.stringify({ ...value, pr: pr + 7 }) },
    });
    expect(await w.answer(ALICE, mark)).toMatch(/Refused: the button names PR #\d+, the card's sync PR is #\d+/);
    expect(w.services.ledgers.acceptances('litellm', TAG)).toEqual([]);
    const refusals = w.services.store.audit.list({ action: 'ledger.accept' }).filter((a) => a.outcome === 'refused');
    expect(refusals.map((a) => (a.details as { reason?: string }).reason).sort()).toEqual([
      'not-listed',
      'value-disagrees-with-card',
      'value-disagrees-with-ledger',
    ]);

    // Approve is refused while the drop stands, with the reason.
    await w.click(ALICE, 'Approve & merge');
    await w.until(
      () => w.thread().some((t) => t.includes(`Not merged: PR #${pr}: 1 fork hunk dropped by the sync`)),
      'the refusal in the thread',
    );
    expect(w.github.merges.filter((m) => m.ok)).toEqual([]);

    mark = w.answers(ALICE).length;
    await w.click(ALICE, 'Accept drop', reply);
    const answer = await w.answer(ALICE, mark);
    expect(answer).toContain('Accepted');
    expect(answer).toContain('Nothing in the ledger blocks Approve & merge now');
    expect(w.services.ledgers.acceptances('litellm', TAG).map((a) => [a.hunkId, a.acceptedBy.id])).toEqual([
      [dropped.id, ALICE],
    ]);
    const done = w.services.store.audit.list({ action: 'ledger.accept' }).find((a) => a.outcome === 'done');
    expect(done?.actor.id).toBe(ALICE);
    expect(done?.target).toBe(`hunk:${dropped.id}`);
    // The card and the thread tell the new truth.
    await w.until(() => w.cardText().includes('1 dropped fork hunk accepted'), 'the card with the drop accepted');
    expect(w.cardText()).not.toContain('⛔');
    await w.until(
      () => w.thread().some((t) => t.includes('drop accepted by') && t.includes('Nothing in the ledger blocks')),
      'the refreshed ledger reply',
    );

    await w.click(ALICE, 'Approve & merge');
    await w.until(() => w.snapshot()?.stage === 'merged', 'the card at merged');
    expect(w.github.merges.filter((m) => m.ok).map((m) => m.number)).toEqual([pr]);
  });

  it('Restore fork side: a fast-forward commit brings the fork line back; ledger rebuilt, card refreshed', async () => {
    const w = await slackWorld();
    const { pr, head } = await droppedOnReadyPr(w);
    const reply = await ledgerReplyWith(w, 'Restore fork side');

    // Restore needs `resolve`: BOB is not on it.
    let mark = w.answers(BOB).length;
    await w.click(BOB, 'Restore fork side', reply);
    expect(await w.answer(BOB, mark)).toContain('You may not *resolve*');

    mark = w.answers(ALICE).length;
    await w.click(ALICE, 'Restore fork side', reply);
    expect(await w.answer(ALICE, mark)).toContain('Queued restoring the fork side');
    let job = (await w.services.runner.list({ kind: 'ledger-restore' }))[0];
    while (!job) {
      await new Promise((r) => setTimeout(r, 20));
      job = (await w.services.runner.list({ kind: 'ledger-restore' }))[0];
    }
    const finished = await w.services.runner.waitFor(job.id, { timeoutMs: 30_000 });
    expect(finished.state).toBe('succeeded');
    expect(finished.result).toMatchObject({ restored: true });

    const after = (await w.github.branchSha(FORK, SYNC_BRANCH))!;
    expect(after).not.toBe(head);
    // One new commit whose parent is the old head: a fast-forward, nothing forced.
    expect((await w.github.git(FORK, ['rev-parse', `${after}^`])).trim()).toBe(head);
    expect(await w.github.git(FORK, ['show', `${after}:litellm/app.py`])).toContain('b = CARTO');
    const rebuilt = w.services.ledgers.latest('litellm', { pr })!;
    expect(rebuilt.headSha).toBe(after);
    expect(rebuilt.counts.dropped).toBe(0);
    expect(w.services.store.audit.list({ action: 'ledger.restore' }).map((a) => [a.actor.id, a.outcome])).toEqual(
      expect.arrayContaining([
        [BOB, 'refused'],
        [ALICE, 'done'],
      ]),
    );
    await w.until(() => w.snapshot()?.ledgerBlock?.dropped === 0, 'the card without the drop');
    await w.until(() => !w.cardText().includes('⛔'), 'the ledger line gone from the card');
    await w.until(
      () => w.thread().some((t) => t.includes(after.slice(0, 10)) && t.includes('Nothing in the ledger blocks')),
      'the ledger reply of the new head',
    );
  });

  it('a person restoring the line by hand: card and thread follow the new head; a late Restore click acts on nothing', async () => {
    const w = await slackWorld();
    const { pr } = await droppedOnReadyPr(w);
    const stale = await ledgerReplyWith(w, 'Restore fork side');
    const fixed = await w.github.pushCommit(FORK, {
      branch: SYNC_BRANCH,
      files: { 'litellm/app.py': 'a = 1\nb = CARTO\nc = 3\n' },
      message: 'fix: keep the fork line',
      as: 'carto-dev',
    });
    await w.github.setCheckRun(FORK, fixed, { name: 'tests', status: 'completed', conclusion: 'success' });
    await w.until(() => w.services.ledgers.latest('litellm', { pr })?.headSha === fixed, 'the ledger of the new head');
    await w.until(() => w.snapshot()?.ledgerBlock?.dropped === 0, 'the card without the drop');
    await w.until(() => !w.cardText().includes('⛔'), 'the ledger line gone');
    await w.until(
      () => w.thread().some((t) => t.includes(fixed.slice(0, 10)) && t.includes('Nothing in the ledger blocks')),
      'the ledger reply of the new head',
    );
    const mark = w.answers(ALICE).length;
    await w.click(ALICE, 'Restore fork side', stale);
    expect(await w.answer(ALICE, mark)).toMatch(/Refused: hunk .* is kept, not dropped/);
    expect(await w.services.runner.list({ kind: 'ledger-restore' })).toEqual([]);
    expect(await w.github.branchSha(FORK, SYNC_BRANCH)).toBe(fixed);
    const refused = w.services.store.audit.list({ action: 'ledger.restore' }).find((a) => a.outcome === 'refused');
    expect(refused?.details).toMatchObject({ reason: 'value-disagrees-with-ledger' });
  });

  it('a person taking upstream on a conflict drops the fork hunk: the landed resolution is followed by the ledger', async () => {
    const w = await slackWorld();
    await w.github.pushCommit(FORK, {
      branch: 'carto/main',
      files: { 'litellm/app.py': 'a = 1\nb = CARTO\nc = 3\n' },
      message: 'feat: carto b',
      as: 'carto-dev',
    });
    const tag = 'v1.82.0-stable';
    await publishRelease(w.github, '1.82.0', { 'litellm/app.py': 'a = 1\nb = UPSTREAM\nc = 3\n' });
    await w.command(ALICE, `sync ${tag}`);
    const waiting = await w.until(() => {
      const ts = w.services.store.slackMessages.get('litellm', tag, CARD_KIND)?.ts;
      return ts ? w.slack.threadOf(OPS, ts).find((m) => buttonLabels(m.blocks).includes('Take upstream')) : undefined;
    }, 'the waiting hunk');
    await w.click(ALICE, 'Take upstream', waiting);
    const pr = await w.until(() => w.snapshot(tag)?.pr?.number, 'the sync PR');
    // The resolution landed on the sync branch; the CI watcher finds the ledger's head moved.
    await w.until(
      () => w.services.ledgers.latest('litellm', { pr })?.entries.some((e) => e.fate === 'dropped'),
      'the rebuilt ledger with the drop',
    );
    expect(w.services.ledgers.latest('litellm', { pr })?.pendingPaths).toEqual([]);
    await w.until(() => w.snapshot(tag)?.ledgerBlock?.dropped === 1, 'the card counting the drop');
    await w.until(() => w.cardText(tag).includes('1 fork hunk dropped'), 'the ledger line on the card');
    await w.until(
      () =>
        w
          .thread(tag)
          .some((t) => t.includes('litellm/app.py') && t.includes('1 dropped fork hunk to restore or accept')),
      'the ledger reply naming the drop',
    );
  });
});
