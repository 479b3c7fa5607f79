import { describe, expect, it } from 'vitest';
import { buttonLabels } from '../../src/sandbox/slack/find-button.js';
import { FORK } from '../pipelines/release-sync/harness.js';
import { ALICE, OPS, TAG, slackWorld } from './slack-world.js';

// Issue 11 item 3: after a hunk was decided its message still offered Take upstream / Take fork,
// and a click answered "✅ Queued your choice (upstream)" although nothing changed. Now the decided
// hunk's message shows who took which side and when, without buttons, and a late click on an old
// copy of the message is answered with what was decided.

describe('waiting hunk buttons after a decision (issue 11 item 3)', () => {
  it('replaces the buttons by the decision and answers a late click with it', async () => {
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
    const cardTs = () => w.services.store.slackMessages.get('litellm', TAG, 'sync-card')!.ts;
    const stale = await w.until(
      () => w.slack.threadOf(OPS, cardTs()).find((m) => buttonLabels(m.blocks).includes('Take upstream')),
      'the waiting hunk',
    );
    const staleCopy = structuredClone(stale);

    let mark = w.answers(ALICE).length;
    await w.click(ALICE, 'Take fork', stale);
    expect(await w.answer(ALICE, mark)).toContain('Queued your choice (fork)');
    const redrawn = await w.until(
      () =>
        w.slack
          .threadOf(OPS, cardTs())
          .find((m) => m.ts === stale.ts && !buttonLabels(m.blocks).includes('Take upstream')),
      'the hunk message without its buttons',
    );
    expect(buttonLabels(redrawn.blocks)).toEqual(['Open in GitHub']);
    expect(JSON.stringify(redrawn.blocks)).toContain(`<@${ALICE}> took *fork* <!date^`);

    const jobs = (await w.services.runner.list({ kind: 'resolve' })).length;
    mark = w.answers(ALICE).length;
    await w.click(ALICE, 'Take upstream', staleCopy);
    const late = await w.answer(ALICE, mark);
    expect(late).toContain('already decided');
    expect(late).toContain('took *fork*');
    expect(late).not.toContain('Queued');
    expect(await w.services.runner.list({ kind: 'resolve' })).toHaveLength(jobs);
    expect(w.services.resolver.choice(FORK, s.pr.number, hunk.id)).toMatchObject({
      take: 'fork',
    });
  });
});
