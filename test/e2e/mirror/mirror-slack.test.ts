import { describe, expect, it } from 'vitest';
import { visibleText } from '../../../src/sandbox/slack/slack-shapes.js';
import { ALICE, BOB } from '../../slack/fixtures.js';
import { BOTH_CHANGED_A, TARGET, diverge } from './mirror-world.js';
import { mirrorSlackWorld as world } from './mirror-slack-world.js';

// The whole bot (Bolt in Socket Mode, SQLite, git) with a mirror pipeline, against the Slack and
// GitHub stand-ins: the divergence card, Force sync for access.force only, Roll back, status.

describe('mirror on Slack (whole bot, stand-ins)', () => {
  it('divergence card (target-only first) → Force sync refused for others, done for access.force → Roll back; status', async () => {
    const w = await world();
    const { s1, t1 } = await diverge(w.github, ...BOTH_CHANGED_A);

    await w.command(ALICE, 'sync occ');
    const card = await w.until(() => w.cards().find((m) => w.text(m).includes('diverged')), 'the divergence card');
    const shown = w.text(card);
    expect(shown).toMatch(/Only on the target\W+\(1\)/);
    expect(shown.indexOf('target: a')).toBeLessThan(shown.indexOf('source: a'));
    expect(shown).toContain('a merge would conflict on');

    // BOB may sync but not force: refused, audited, nothing pushed.
    await w.slack.clickButton({ message: card, label: 'Force sync', user: BOB });
    await w.until(() => w.answers(BOB).some((a) => a.includes('⛔')), 'the refusal');
    expect(await w.github.branchSha(TARGET, 'main')).toBe(t1);
    expect(w.services.store.audit.list({ action: 'mirror-force' })[0]).toMatchObject({
      outcome: 'refused',
      actor: { kind: 'slack', id: BOB },
    });

    await w.slack.clickButton({ message: card, label: 'Force sync', user: ALICE });
    const forcedCard = await w.until(
      () => w.cards().find((m) => w.text(m).includes('forced onto the source')),
      'the forced card',
    );
    expect(await w.github.branchSha(TARGET, 'main')).toBe(s1);
    expect(w.text(forcedCard)).toMatch(/refs\/upstream-sync\/backup\/main\//);

    await w.slack.clickButton({ message: forcedCard, label: 'Roll back', user: ALICE });
    await w.until(
      () => w.services.store.audit.list({ action: 'mirror-rollback' }).find((a) => a.outcome === 'done'),
      'the rollback',
    );
    expect(await w.github.branchSha(TARGET, 'main')).toBe(t1);

    // The clicks' own answers ("Queued …") are sent after the enqueue, so they may arrive after
    // the jobs finished: counted only once both are in, so the next answer is the status.
    await w.until(
      () => ['Queued a force sync', 'Queued a rollback'].every((q) => w.answers(ALICE).some((a) => a.includes(q))),
      'the answers to both clicks',
    );
    const before = w.answers(ALICE).length;
    await w.command(ALICE, 'status occ');
    const status = await w.until(() => w.answers(ALICE)[before], 'the status answer');
    expect(status).toContain('occ: mirror');

    // App Home: the mirror's state and its last run, for whoever opens it.
    await w.slack.sendEvent({ type: 'app_home_opened', user: BOB, channel: 'D0BOB', tab: 'home' });
    const home = await w.until(() => w.slack.homeView(BOB), 'the App Home');
    const homeText = visibleText(home.view.blocks);
    expect(homeText).toContain('occ: mirror o9nn/occ@main → cogpy/occ@main');
    expect(homeText).toContain('last run');
  });
});
