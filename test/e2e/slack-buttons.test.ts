import { describe, expect, it } from 'vitest';
import { buttonLabels } from '../../src/sandbox/slack/find-button.js';
import { FORK } from '../pipelines/release-sync/harness.js';
import { ALICE, BOB, CAROL, OPS, TAG, slackWorld, type SlackWorld } from './slack-world.js';

// Card and thread buttons end to end: clicks by visible label through the Slack stand-in, jobs on
// the real runner, effects on the GitHub stand-in.

async function toReady(w: SlackWorld): Promise<number> {
  const s = await w.syncToPr();
  const head = w.github.pull(FORK, s.pr.number).headSha;
  await w.github.setCheckRun(FORK, head, { name: 'tests', status: 'completed', conclusion: 'success' });
  await w.until(() => w.snapshot()?.stage === 'ready', 'the card at ready');
  await w.until(
    () =>
      buttonLabels(
        w.slack.messages(OPS).find((m) => m.ts === w.services.store.slackMessages.get('litellm', TAG, 'sync-card')?.ts)
          ?.blocks,
      ).includes('Approve & merge'),
    'the Approve & merge button',
  );
  return s.pr.number;
}

async function toMerged(w: SlackWorld): Promise<void> {
  await toReady(w);
  await w.click(ALICE, 'Approve & merge');
  await w.until(() => w.cardText().includes('Release patch'), 'the release buttons');
}

describe('sync card buttons', () => {
  it('merges with a merge commit on Approve & merge; a double click makes one job', async () => {
    const w = await slackWorld();
    const pr = await toReady(w);
    const card = await w.card();
    const approve = (card.blocks as { elements?: { text: { text: string }; confirm?: unknown }[] }[])
      .flatMap((b) => b.elements ?? [])
      .find((e) => e.text.text === 'Approve & merge');
    expect(approve?.confirm).toBeDefined();
    const mark = w.answers(ALICE).length;
    const acks = await Promise.all([w.click(ALICE, 'Approve & merge'), w.click(ALICE, 'Approve & merge')]);
    expect(acks).toEqual([{}, {}]);
    const texts = [await w.answer(ALICE, mark), await w.answer(ALICE, mark + 1)];
    expect(texts.filter((t) => t.includes('Queued the merge'))).toHaveLength(1);
    expect(texts.filter((t) => t.includes('is already'))).toHaveLength(1);
    expect(texts.find((t) => t.includes('is already'))).toMatch(
      /<https:\/\/sandbox\.slack\.com\/archives\/C09K0M5MP7V\/p\d+\|the card>/,
    );
    await w.until(() => w.snapshot()?.stage === 'merged', 'the card at merged');
    expect(await w.services.runner.list({ kind: 'merge' })).toHaveLength(1);
    expect(w.github.merges.filter((m) => m.ok)).toEqual([expect.objectContaining({ number: pr, method: 'merge' })]);
    await w.until(() => w.cardText().includes('Release patch'), 'the release buttons');
    expect(buttonLabels((await w.card()).blocks)).toEqual([
      'Release patch',
      'Release minor',
      'Release major',
      'View PR / diff',
      'View changes',
    ]);
    expect(w.services.store.audit.list({ action: 'approve' }).map((a) => a.outcome)).toContain('done');
  });

  it('refuses Approve & merge to people not on the list, and when GitHub says CI is red', async () => {
    const w = await slackWorld();
    const pr = await toReady(w);
    await w.click(BOB, 'Approve & merge');
    expect(await w.answer(BOB, 0)).toContain('You may not *approve*');
    // CI turned red after the card said ready (the watcher has not seen it yet): the merge job
    // asks GitHub again, refuses and says why in the thread.
    await w.bot.ciWatcher.stop();
    const head = w.github.pull(FORK, pr).headSha;
    await w.github.setCheckRun(FORK, head, { name: 'lint', status: 'completed', conclusion: 'failure' });
    await w.click(CAROL, 'Approve & merge');
    await w.until(
      () => w.thread().some((t) => t.includes('Not merged: CI is failing on PR') && t.includes('lint')),
      'the refusal in the thread',
    );
    expect((await w.services.runner.list({ kind: 'merge' }))[0]?.result).toMatchObject({ merged: false });
    expect(w.services.store.audit.list({ action: 'approve' }).map((a) => [a.actor.id, a.outcome])).toEqual([
      [CAROL, 'refused'],
      [CAROL, 'allowed'],
      [BOB, 'refused'],
    ]);
    expect(w.github.merges.filter((m) => m.ok)).toEqual([]);
  });

  it('opens the release preview with the next tag, and releases on submit', async () => {
    const w = await slackWorld();
    await toMerged(w);
    await w.click(ALICE, 'Release minor');
    const modal = await w.until(
      () => w.slack.openModals(ALICE).find((v) => JSON.stringify(v.view).includes('Next tag')),
      'the release preview',
    );
    expect(JSON.stringify(modal.view)).toMatch(/v1\.81\.0-carto\.\d+\.\d+\.\d+/);
    const submitted = await w.slack.sendViewSubmission({ user: ALICE, callbackId: 'us_release_modal' });
    expect(submitted.problems).toEqual([]);
    await w.until(() => w.github.releases(FORK).length > 0, 'the GitHub release', 60_000);
    await w.until(() => w.snapshot()?.stage === 'released', 'the card at released', 30_000);
    await w.until(
      () => w.slack.messages(OPS).find((m) => m.text.includes('release v1.81.0-carto')),
      'the release card',
    );
  });

  it('refuses the release preview to people not on the release list', async () => {
    const w = await slackWorld();
    await toMerged(w);
    await w.click(CAROL, 'Release patch');
    expect(await w.answer(CAROL, 0)).toContain('You may not *release*');
    expect(await w.services.runner.list({ kind: 'release' })).toEqual([]);
  });

  it('skips a release: closes its PR and marks the card', async () => {
    const w = await slackWorld({ access: { sync: [ALICE], skip: [ALICE] } });
    const s = await w.syncToPr();
    await w.click(BOB, 'Skip this release');
    expect(await w.answer(BOB, 0)).toContain('You may not *skip*');
    await w.click(ALICE, 'Skip this release');
    await w.until(() => w.snapshot()?.stage === 'skipped', 'the card at skipped');
    expect(w.github.pull(FORK, s.pr.number).state).toBe('closed');
    expect(w.services.syncRecords.activeSkips('litellm').map((k) => k.tag)).toEqual([TAG]);
  });

  it('retries a failed sync from the card', async () => {
    const w = await slackWorld();
    // Every pull-request creation fails until cleared: the sync job fails for good.
    w.github.faults.inject({
      method: 'POST',
      path: `/repos/${FORK}/pulls`,
      status: 422,
      body: { message: 'Validation Failed' },
      times: Infinity,
    });
    await w.command(ALICE, 'sync');
    await w.until(() => w.snapshot()?.stage === 'failed', 'the failed card', 30_000);
    await w.until(() => w.cardText().includes('Retry'), 'the Retry button');
    w.github.faults.clear();
    await w.click(BOB, 'Retry');
    expect(await w.answer(BOB, 0)).toContain('You may not *sync*');
    await w.click(ALICE, 'Retry');
    await w.until(() => w.snapshot()?.pr, 'the PR after the retry', 30_000);
    expect(w.snapshot()?.stage).not.toBe('failed');
  });

  it('acks URL buttons and queues the resolver from Resolve conflicts', async () => {
    const w = await slackWorld();
    const s = await w.syncToPr();
    await w.services.slack.notifier.syncChanged(
      { pipeline: 'litellm', tag: TAG },
      {
        stage: 'needs-person',
        conflicts: { files: 2, byRule: 1, byStructure: 0, byMemory: 0, byLlm: 0, byPerson: 0, waiting: 1 },
      },
    );
    await w.until(() => w.cardText().includes('Resolve conflicts'), 'the Resolve conflicts button');
    const mark = w.answers(ALICE).length;
    expect(await w.click(ALICE, 'View PR / diff')).toEqual({});
    await w.click(ALICE, 'Resolve conflicts');
    expect(await w.answer(ALICE, mark)).toContain(`Queued the resolver on PR #${s.pr.number}`);
    expect(await w.services.runner.list({ kind: 'resolve' })).toHaveLength(1);
  });

  it("sends a person's choice for a waiting hunk to the resolver", async () => {
    const w = await slackWorld();
    const s = await w.syncToPr();
    const ref = { pipeline: 'litellm', tag: TAG };
    const hunk = {
      id: 'Dockerfile#1',
      path: 'Dockerfile',
      index: 1,
      of: 1,
      upstream: 'FROM python:3.13',
      fork: 'FROM python:3.11',
      url: `${s.pr.url}/files`,
    };
    await w.services.slack.notifier.syncDetail(
      ref,
      { kind: 'waiting', pr: s.pr.number, hunks: [hunk] },
      { key: 'waiting:1' },
    );
    const reply = await w.until(
      () =>
        w.slack
          .threadOf(OPS, w.services.store.slackMessages.get('litellm', TAG, 'sync-card')!.ts)
          .find((m) => buttonLabels(m.blocks).includes('Take upstream')),
      'the waiting hunk',
    );
    expect(buttonLabels(reply.blocks)).toEqual(['Take upstream', 'Take fork', 'Open in GitHub']);
    await w.click(BOB, 'Take fork', reply);
    expect(await w.answer(BOB, 0)).toContain('You may not *resolve*');
    const mark = w.answers(ALICE).length;
    await w.click(ALICE, 'Take fork', reply);
    expect(await w.answer(ALICE, mark)).toContain('Queued your choice (fork)');
    const [job] = await w.services.runner.list({ kind: 'resolve' });
    expect(job?.data).toMatchObject({
      pr: s.pr.number,
      decisions: [{ hunkId: 'Dockerfile#1', take: 'fork', by: { kind: 'slack', id: ALICE } }],
    });
  });

  it('posts the card and thread of a sync with 800 conflicted files, and Slack accepts them', async () => {
    const w = await slackWorld();
    const s = await w.syncToPr();
    const ref = { pipeline: 'litellm', tag: TAG };
    const files = Array.from({ length: 800 }, (_, i) => ({
      path: `litellm/proxy/_experimental/out/chunk_${i}.<b>&.js`,
      kind: 'content' as const,
      decision: i % 40 === 0 ? ('waiting' as const) : ('upstream' as const),
      by: i % 40 === 0 ? null : ('rule' as const),
      reason: 'build artefact',
    }));
    await w.services.slack.notifier.syncChanged(ref, {
      stage: 'needs-person',
      pr: s.pr,
      conflicts: { files: 800, byRule: 780, byStructure: 0, byMemory: 0, byLlm: 0, byPerson: 0, waiting: 20 },
    });
    await w.services.slack.notifier.syncDetail(ref, { kind: 'conflicts', files }, { key: 'conflicts:800' });
    await w.until(
      () => w.thread().some((t) => t.includes('Conflicts in 800 files')),
      'the conflict list in the thread',
    );
    await w.until(() => w.services.slack.outbox.counts().pending === 0, 'the outbox to drain');
    expect(w.services.slack.outbox.counts().dead).toBe(0);
    expect(w.thread().find((t) => t.includes('Conflicts in 800 files'))).toMatch(/…and \d+ more/);
    w.slack.assertNoFailedCalls();
  });

  it('publishes App Home with every pipeline', async () => {
    const w = await slackWorld();
    await w.slack.sendEvent({ type: 'app_home_opened', user: BOB, channel: 'D0BOB', tab: 'home' });
    const home = await w.until(() => w.slack.homeView(BOB), 'the home view');
    expect(JSON.stringify(home.view)).toContain('litellm: CartoDB/litellm');
  });
});
