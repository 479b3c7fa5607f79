import { describe, expect, it } from 'vitest';
import { createGitHubAdapter } from '../../src/adapters/github/github-adapter.js';
import { parseConfig } from '../../src/config/load.js';
import { GitHubSandbox, SANDBOX_CLIENT_TUNING } from '../../src/sandbox/github/github-sandbox.js';
import { startSlackSandbox } from '../../src/sandbox/slack/slack-sandbox.js';
import { visibleText } from '../../src/sandbox/slack/slack-shapes.js';
import { startRunningBot, type RunningBot } from '../helpers/running-bot.js';
import { tempDir } from '../helpers/tmp.js';
import { cartoConfigInput, FORK, seedCartoHistory } from '../workflows/release/release-fixture.js';

// The release from Slack, the whole bot as `start` runs it (Bolt in Socket Mode, SQLite, git,
// Octokit) against the Slack and GitHub stand-ins: command → preview modal → Release → tag,
// GitHub release, image dispatch and the release card; and the refusal of someone not listed.

const OPS = 'C09K0M5MP7V';
const ALICE = 'U012ABCDEF';
const BOB = 'U0BOB00001';
const TAG = 'v1.81.9-carto.1.19.0';

type World = RunningBot;

async function world(): Promise<World> {
  const github = await GitHubSandbox.start({ root: await tempDir('release-e2e-gh-') });
  await seedCartoHistory(
    github,
    createGitHubAdapter({ token: github.token, baseUrl: github.url, tuning: SANDBOX_CLIENT_TUNING }),
  );
  const slack = await startSlackSandbox();
  slack.addChannel({ id: OPS, name: 'cartodb-ops' });
  for (const id of [ALICE, BOB]) slack.addUser({ id });
  const input = cartoConfigInput({ pipeline: { slack: { channel: OPS } } });
  const config = parseConfig({ ...input, access: { release: [ALICE] } });
  // Default reconnects and CI watch: only the timings this test waits on are short.
  return startRunningBot({
    github,
    slack,
    config,
    dataPrefix: 'release-e2e-data-',
    bot: { clientPingTimeoutMs: 300, dispatcherIdleMs: 50, dispatcherBackoff: { baseMs: 20, maxMs: 200 } },
  });
}

const until = <T>(w: World, probe: () => T | undefined | false, what: string, timeoutMs = 30_000): Promise<T> =>
  w.slack.waitFor(
    () => {
      const v = probe();
      return v === false ? undefined : v;
    },
    { timeoutMs, what },
  );

const previewOf = (w: World, user: string) =>
  w.slack.openModals(user).find((v) => visibleText(v.view.blocks ?? '').includes('Release notes'));

describe('release from Slack', () => {
  it('merged sync card → Release minor → preview → Release: tag, GitHub release, image dispatch, release card', async () => {
    const w = await world();
    // The sync of v1.81.9-stable was merged: its card offers the release buttons.
    await w.services.notifier.syncChanged(
      { pipeline: 'litellm', tag: 'v1.81.9-stable' },
      { stage: 'merged', fromVersion: '1.81.3', toVersion: '1.81.9' },
    );
    const syncCard = await until(
      w,
      () => w.slack.findMessage(OPS, (_m, text) => text.includes('v1.81.9-stable') && text.includes('Release minor')),
      'the merged sync card',
    );
    await w.slack.clickButton({ message: syncCard, label: 'Release minor', user: ALICE });
    const preview = await until(w, () => previewOf(w, ALICE), 'the release preview');
    const shown = visibleText(preview.view.blocks ?? '');
    expect(shown).toContain(TAG);
    expect(shown).toContain('v1.81.3-carto.1.18.6');
    // Nothing has happened on GitHub yet.
    expect(w.github.releases(FORK).map((r) => r.tag)).not.toContain(TAG);

    await w.slack.sendViewSubmission({ user: ALICE, viewId: preview.id });
    await until(w, () => w.github.releases(FORK).find((r) => r.tag === TAG), 'the GitHub release');
    expect((await w.github.git(FORK, ['rev-parse', `${TAG}^{commit}`])).trim()).toBe(
      (await w.github.branchSha(FORK, 'carto/main'))!,
    );
    expect(w.github.dispatches).toEqual([
      expect.objectContaining({ name: 'carto-ghcr-deploy.yaml', payload: { release_tag: TAG } }),
    ]);

    const card = await until(
      w,
      () => w.slack.findMessage(OPS, (_m, text) => text.includes(TAG) && text.includes('carto-stable')),
      'the release card',
    );
    expect(visibleText(card.blocks ?? '')).toContain('v1.81.3-carto.1.18.6');
    // The merged card moves to released, with a button to the release.
    await until(
      w,
      () => w.slack.findMessage(OPS, (m, text) => m.ts === syncCard.ts && text.includes('View release')),
      'the card in released',
    );
    const audit = w.services.store.audit.list({ action: 'release' }).map((a) => a.outcome);
    expect(audit).toContain('done');
    expect(audit).not.toContain('refused');
  });

  it('`release minor` from someone not on access.release: refused, audited, nothing tagged', async () => {
    const w = await world();
    const before = w.github.mutatingRequests().length;
    await w.slack.sendSlashCommand({ command: '/upstream-sync', text: 'release minor', user_id: BOB, channel_id: OPS });
    const refusal = await until(w, () => w.slack.ephemeralsFor(BOB, OPS).at(-1), 'the refusal');
    expect(visibleText([refusal.text, refusal.blocks ?? ''])).toMatch(/may not \*?release/);
    expect(previewOf(w, BOB)).toBeUndefined();
    const audited = w.services.store.audit.list().filter((a) => a.action.startsWith('release'));
    expect(audited.map((a) => [a.action, a.outcome, a.actor.id])).toContainEqual(['release.preview', 'refused', BOB]);
    expect(w.github.mutatingRequests().slice(before)).toEqual([]);
    expect((await w.github.git(FORK, ['tag', '--list', 'v1.81.9-carto.*'])).trim()).toBe('');
  });
});
