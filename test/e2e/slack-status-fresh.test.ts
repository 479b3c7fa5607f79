import { describe, expect, it } from 'vitest';
import { BOB, TAG, slackWorld } from './slack-world.js';

// Issue 11 items 1 and 2: `/upstream-sync status` before the first check said "unknown" for the
// production version, the latest stable release and how far behind, until someone ran `check`;
// and after the bot changed something (a sync, merge, release, skip) status kept the old facts.
// Now the answer comes at once, facts missing, too old or older than the bot's own last change
// are read again (read-only), and the same answer is replaced with the result.

describe('status is truthful within seconds (issue 11 items 1, 2)', () => {
  it('replaces its first answer with the facts read from GitHub, without a second command', async () => {
    const w = await slackWorld();
    await w.command(BOB, 'status');
    await w.answer(BOB, 0);
    const answer = await w.until(
      () => (w.answers(BOB)[0]?.replaced ? w.answers(BOB)[0] : null),
      'the same answer replaced after the refresh',
    );
    expect(w.answers(BOB)).toHaveLength(1);
    const text = JSON.stringify(answer.blocks);
    expect(text).toContain('1.80.0');
    expect(text).toContain(TAG);
    expect(text).toContain('GitHub data as of');
    expect(text).not.toContain('GitHub data not fetched yet');
    expect(text).not.toContain('refreshing in the background');
  });

  it('fresh facts are not read again, but a change the bot made since makes the next status read them', async () => {
    const w = await slackWorld();
    const refreshes = async () => (await w.services.runner.list({ kind: 'refresh-status' })).length;
    await w.command(BOB, 'status');
    await w.until(() => w.answers(BOB)[0]?.replaced, 'the first answer refreshed');
    expect(await refreshes()).toBe(1);

    // Within slack.statusMaxAgeMinutes and nothing changed: answered from what is known.
    await w.command(BOB, 'status');
    await w.answer(BOB, 1);
    expect(await refreshes()).toBe(1);
    expect(JSON.stringify(w.answers(BOB)[1]!.blocks)).toContain('Open sync*\\nnone');

    // The bot opens a sync PR: the facts status saved are now older than that change.
    const s = await w.syncToPr();
    const [sync] = await w.services.runner.list({ kind: 'sync' });
    expect((await w.services.runner.waitFor(sync!.id, { timeoutMs: 30_000 })).state).toBe('succeeded');
    await w.command(BOB, 'status');
    await w.answer(BOB, 2);
    expect(await refreshes()).toBe(2);
    const updated = await w.until(
      () => (w.answers(BOB)[2]?.replaced ? w.answers(BOB)[2] : null),
      'the third answer replaced',
    );
    expect(JSON.stringify(updated.blocks)).toContain(`#${s.pr.number}`);
  });

  it('App Home is published at once, then again with the facts read from GitHub', async () => {
    const w = await slackWorld();
    await w.slack.sendEvent({ type: 'app_home_opened', user: BOB, channel: 'D0BOB', tab: 'home' });
    const fresh = await w.until(() => {
      const text = JSON.stringify(w.slack.homeView(BOB)?.view ?? {});
      return text.includes('GitHub data as of') && text.includes(TAG) ? text : null;
    }, 'App Home with GitHub facts');
    expect(fresh).toContain('1.80.0');
    expect(fresh).not.toContain('GitHub data not fetched yet');
  });
});
