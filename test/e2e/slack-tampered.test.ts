import { describe, expect, it } from 'vitest';
import { buttonAction, findButton } from '../../src/sandbox/slack/find-button.js';
import { FORK } from '../pipelines/release-sync/harness.js';
import { ALICE, OPS, RANDOM, slackWorld, type SlackWorld } from './slack-world.js';

// Issue 13 item 7: what a button acts on comes from the server-side record of the card it was
// clicked on. A client that edits the value (or a modal's private_metadata) is refused and audited.

async function toReady(w: SlackWorld): Promise<number> {
  const s = await w.syncToPr();
  const head = w.github.pull(FORK, s.pr.number).headSha;
  await w.github.setCheckRun(FORK, head, { name: 'tests', status: 'completed', conclusion: 'success' });
  await w.until(() => w.snapshot()?.stage === 'ready', 'the card at ready');
  await w.until(() => w.cardText().includes('Approve & merge'), 'the Approve & merge button');
  return s.pr.number;
}

/** An unrelated PR into production, green and mergeable: the target a tampered button would pick. */
async function unrelatedGreenPr(w: SlackWorld): Promise<number> {
  const sha = await w.github.pushCommit(FORK, {
    branch: 'feature/unrelated',
    from: 'carto/main',
    files: { 'unrelated.txt': 'not reviewed\n' },
    message: 'feat: unrelated',
  });
  const pr = await w.services.github.createPull(FORK, {
    title: 'unrelated',
    head: 'feature/unrelated',
    base: 'carto/main',
    body: '',
  });
  await w.github.setCheckRun(FORK, sha, { name: 'tests', status: 'completed', conclusion: 'success' });
  return pr.number;
}

describe('tampered Slack payloads', () => {
  it('an Approve whose pr was changed to another green PR is refused, audited, and merges nothing', async () => {
    const w = await slackWorld();
    const syncPr = await toReady(w);
    const other = await unrelatedGreenPr(w);
    const card = await w.card();
    const found = findButton(card.blocks, 'Approve & merge')!;
    const action = buttonAction(found);
    const value = JSON.parse(String(action.value)) as Record<string, unknown>;
    expect(value.pr).toBe(syncPr);
    const mark = w.answers(ALICE).length;
    await w.slack.sendBlockAction({
      user: ALICE,
      source: { kind: 'message', message: card },
      action: { ...action, value: JSON.stringify({ ...value, pr: other }) },
    });
    expect(await w.answer(ALICE, mark)).toMatch(/Refused: the button names PR #\d+, the card's sync PR is #\d+/);
    expect(await w.services.runner.list({ kind: 'merge' })).toEqual([]);
    expect(w.github.merges).toEqual([]);
    expect(w.snapshot()?.stage).toBe('ready');
    const refused = w.services.store.audit.list({ action: 'approve' }).find((a) => a.outcome === 'refused');
    expect(refused?.details).toMatchObject({ reason: 'value-disagrees-with-card' });

    // The untampered click still works, on the card's own PR.
    await w.click(ALICE, 'Approve & merge');
    await w.until(() => w.snapshot()?.stage === 'merged', 'the card at merged');
    expect(w.github.merges.filter((m) => m.ok).map((m) => m.number)).toEqual([syncPr]);
  });

  it('a release modal whose private_metadata names another channel is refused; nothing is posted there', async () => {
    const w = await slackWorld();
    await toReady(w);
    await w.click(ALICE, 'Approve & merge');
    await w.until(() => w.cardText().includes('Release patch'), 'the release buttons');
    await w.click(ALICE, 'Release minor');
    const modal = await w.until(
      () => w.slack.openModals(ALICE).find((v) => JSON.stringify(v.view).includes('Next tag')),
      'the release preview',
    );
    const meta = JSON.parse(String(modal.view.private_metadata)) as Record<string, unknown>;
    expect(meta.channel).toBe(OPS);
    modal.view.private_metadata = JSON.stringify({ ...meta, channel: RANDOM });
    const before = w.slack.messages(RANDOM).length;
    await w.slack.sendViewSubmission({ user: ALICE, callbackId: 'us_release_modal' });
    await w.until(
      () => w.services.store.audit.list({ action: 'release' }).find((a) => a.outcome === 'refused'),
      'the refusal in the audit log',
    );
    expect(await w.services.runner.list({ kind: 'release' })).toEqual([]);
    expect(w.slack.messages(RANDOM)).toHaveLength(before);
    expect(w.slack.ephemeralsFor(ALICE, RANDOM)).toEqual([]);
  });
});
