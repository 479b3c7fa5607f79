import { describe, expect, it } from 'vitest';
import { jobIdentity } from '../../src/jobs/job-kinds.js';
import { ALICE, BOB, CAROL, OPS, OPS_GROUP, RANDOM, TAG, slackWorld } from './slack-world.js';

// Slash commands end to end: real Bolt over Socket Mode against the Slack stand-in, the real
// runner and SQLite behind it, GitHub stand-in for the sync.

describe('/upstream-sync commands', () => {
  it('answers status at once from SQLite, then with GitHub facts after the background refresh', async () => {
    const w = await slackWorld();
    expect(await w.command(BOB, 'status')).toEqual({});
    const first = await w.answer(BOB, 0);
    expect(first).toContain('litellm: CartoDB/litellm');
    expect(first).toContain('Last runs');
    // The same answer is replaced once the refresh ends (slack-status-fresh.test.ts), so what it
    // says about the refresh depends on when it is read.
    expect(first).toMatch(/refreshing in the background|GitHub data as of/);
    await w.until(() => w.services.syncRecords.facts('litellm'), 'the refreshed status facts');
    await w.command(BOB, 'status litellm');
    const second = await w.answer(BOB, 1);
    expect(second).toContain('1.80.0');
    expect(second).toContain(TAG);
    w.slack.assertNoUnexpectedRequests();
  });

  it('lists every command in help, with who may run it', async () => {
    const w = await slackWorld();
    await w.command(BOB, 'help');
    const help = await w.answer(BOB, 0);
    for (const c of ['status', 'check', 'sync', 'resolve', 'release', 'skip', 'unskip', 'history', 'help'])
      expect(help).toContain(`/upstream-sync ${c}`);
    expect(help).toContain('nobody (no access list)');
  });

  it('names the problem in a malformed command', async () => {
    const w = await slackWorld();
    await w.command(ALICE, 'release huge');
    expect(await w.answer(ALICE, 0)).toContain('"huge" is not patch, minor or major');
    await w.command(ALICE, 'deploy <!channel>');
    const answer = await w.answer(ALICE, 1);
    expect(answer).toContain('unknown command "deploy"');
    expect(JSON.stringify(w.answers(ALICE)[1]!.blocks)).not.toContain('<!channel>');
  });

  it('refuses people who are not on the list, says who may, and audits it', async () => {
    const w = await slackWorld();
    await w.command(BOB, 'sync');
    expect(await w.answer(BOB, 0)).toContain('You may not *sync* for *litellm*');
    const refusal = JSON.stringify(w.answers(BOB)[0]!.blocks);
    expect(refusal).toContain(`<@${ALICE}>`);
    expect(refusal).toContain(`<!subteam^${OPS_GROUP}>`);
    await w.command(BOB, 'skip v1.81.0-stable');
    expect(await w.answer(BOB, 1)).toContain('Nobody may *skip* for *litellm*');
    const audit = w.services.store.audit.list({ pipeline: 'litellm' });
    expect(audit.filter((a) => a.outcome === 'refused').map((a) => [a.actor.id, a.action])).toEqual([
      [BOB, 'skip'],
      [BOB, 'sync'],
    ]);
    expect(await w.services.runner.list({ kind: 'sync' })).toEqual([]);
  });

  it('accepts commands only in the pipeline channel', async () => {
    const w = await slackWorld();
    await w.command(ALICE, 'sync', RANDOM);
    expect(await w.answer(ALICE, 0, RANDOM)).toContain('accepted only in');
    await w.command(BOB, 'status', RANDOM);
    expect(await w.answer(BOB, 0, RANDOM)).toContain('accepted only in');
    expect(await w.services.runner.list({ kind: 'sync' })).toEqual([]);
  });

  it('lets a member of an allowed user group sync: one card, updated in place, details in its thread', async () => {
    const w = await slackWorld();
    await w.command(CAROL, 'sync');
    expect(await w.answer(CAROL, 0)).toContain('Queued a sync of *litellm*');
    await w.until(() => w.cardText().includes('PR open') || undefined, 'the card at PR open');
    const card = await w.card();
    expect(w.slack.messages(OPS).filter((m) => !m.threadTs || m.threadTs === m.ts)).toEqual([card]);
    expect(card.history.length).toBeGreaterThan(0);
    expect(w.cardText()).toContain('View PR / diff');
    await w.until(() => w.thread().some((t) => t.includes('is open')) || undefined, 'the PR-open thread reply');
    expect(w.services.store.audit.list({ action: 'sync' })[0]).toMatchObject({
      actor: { id: CAROL },
      outcome: 'allowed',
    });
  });

  it('tells the second person that the sync is already running', async () => {
    const w = await slackWorld();
    const acks = await Promise.all([w.command(ALICE, 'sync'), w.command(CAROL, 'sync')]);
    expect(acks).toEqual([{}, {}]);
    const texts = [await w.answer(ALICE, 0), await w.answer(CAROL, 0)];
    expect(texts.filter((t) => t.includes('Queued a sync'))).toHaveLength(1);
    expect(texts.filter((t) => t.includes('is already'))).toHaveLength(1);
    expect(await w.services.runner.list({ kind: 'sync' })).toHaveLength(1);
  });

  it('sync <tag>: queued for that tag; a tag that is no release is answered with why; another sync in the way is named', async () => {
    const w = await slackWorld();
    await w.command(ALICE, 'sync v1.79.0-stable');
    expect(await w.answer(ALICE, 0)).toContain('Queued a sync of *litellm* to `v1.79.0-stable`');
    const why = await w.answer(ALICE, 1);
    expect(why).toContain('`v1.79.0-stable` was not synced');
    expect(why).toContain('is not a stable upstream release');
    expect(w.slack.messages(OPS)).toEqual([]);

    // A sync of the newest release waits in the queue: a request for a tag is not folded into it.
    const { job } = await w.services.runner.enqueue({
      ...jobIdentity.sync('litellm'),
      data: { pipeline: 'litellm' },
      requestedBy: { kind: 'cron', id: 'litellm' },
      runAfter: '2099-01-01T00:00:00Z',
    });
    await w.command(CAROL, `sync litellm ${TAG}`);
    const busy = await w.answer(CAROL, 0);
    expect(busy).toContain(`A sync of litellm is already queued (job ${job.id}, for the newest release)`);
    expect(busy).toContain(`ask for ${TAG} again when it has finished`);
    expect(await w.services.runner.list({ kind: 'sync', states: ['queued', 'running'] })).toEqual([
      expect.objectContaining({ id: job.id, data: { pipeline: 'litellm' } }),
    ]);
  });

  it('shows history and unskips', async () => {
    const w = await slackWorld();
    await w.command(BOB, 'history');
    expect(await w.answer(BOB, 0)).toContain('History of `litellm`');
    await w.command(ALICE, 'unskip v1.81.0-stable');
    expect(await w.answer(ALICE, 0)).toContain('Nobody may *skip*');
  });
});
