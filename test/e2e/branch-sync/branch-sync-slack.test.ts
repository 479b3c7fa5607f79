import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../src/config/load.js';
import { GitHubSandbox } from '../../../src/sandbox/github/github-sandbox.js';
import { startSlackSandbox } from '../../../src/sandbox/slack/slack-sandbox.js';
import { visibleText } from '../../../src/sandbox/slack/slack-shapes.js';
import { buttonAction, buttonLabels, findButton } from '../../../src/sandbox/slack/find-button.js';
import { cardLookup } from '../../helpers/card-lookup.js';
import { sendWhileReconnecting, startRunningBot } from '../../helpers/running-bot.js';
import { tempDir } from '../../helpers/tmp.js';
import { until } from '../../helpers/until.js';
import { editedClick } from '../../helpers/edited-click.js';
import { ALICE, BOB, OPS_CHANNEL as OPS } from '../../slack/fixtures.js';
import { BOT, FORK, SYNC_BRANCH, UPSTREAM, seedWebui, upstreamCommit } from './branch-sync-world.js';

// The whole bot (Bolt in Socket Mode, SQLite, git, Octokit) against the Slack and GitHub
// stand-ins: a branch-sync conflict no layer decides goes to the card's thread, a person on the
// resolve allow-list picks a side, and the next run pushes the merge commit.

async function world() {
  const github = await GitHubSandbox.start({ root: await tempDir('bs-gh-') });
  await seedWebui(github);
  const slack = await startSlackSandbox();
  slack.addChannel({ id: OPS, name: 'webui-ops' });
  for (const id of [ALICE, BOB]) slack.addUser({ id });
  const config = parseConfig({
    git: { author: BOT },
    access: { approve: [ALICE], resolve: [ALICE], sync: [ALICE] },
    llm: { enabled: false },
    pipelines: [
      {
        id: 'webui',
        kind: 'branch-sync',
        upstream: { repo: UPSTREAM, branch: 'main' },
        fork: { repo: FORK, syncBranch: SYNC_BRANCH, targetBranch: 'dev' },
        pr: { readyLabel: 'sync-ready' },
        slack: { channel: OPS },
      },
    ],
  });
  const { services } = await startRunningBot({ github, slack, config, dataPrefix: 'bs-data-' });
  const cards = cardLookup({ services, slack }, 'webui', OPS);
  return { github, slack, services, until, ...cards, send: sendWhileReconnecting };
}

describe('branch-sync in Slack', () => {
  it('a hunk no layer decides waits in the thread; the person who takes a side gets the merge pushed', async () => {
    const w = await world();
    const dev = (await w.github.branchSha(FORK, 'dev'))!;
    await w.github.pushCommit(FORK, {
      branch: 'dev',
      files: { 'src/app.py': 'a = 1\nb = ACME\nc = 3\n' },
      message: 'acme: b',
      as: 'acme-dev',
    });
    const ours = (await w.github.branchSha(FORK, 'dev'))!;
    const base = (await w.github.git(UPSTREAM, ['rev-parse', 'main'])).trim();
    const u = await upstreamCommit(w.github, { 'src/app.py': 'a = 1\nb = UPSTREAM\nc = 3\n' }, 'feat: b');
    const tag = `${base.slice(0, 7)}..${u.slice(0, 7)}`;
    expect(dev).not.toBe(ours);

    await w.send(() =>
      w.slack.sendSlashCommand({ command: '/upstream-sync', text: 'sync webui', user_id: ALICE, channel_id: OPS }),
    );
    const card = await w.until(() => {
      const c = w.cardOf(tag);
      return c && visibleText(c.blocks ?? '').includes('need') ? c : null;
    }, 'the needs-person card');
    expect(visibleText(card.blocks ?? '')).toContain('webui');
    // Nothing moved: the sync branch was created from dev and stays there until the hunk is decided.
    expect(await w.github.branchSha(FORK, SYNC_BRANCH)).toBe(ours);
    const waiting = await w.until(
      () => w.thread(tag).find((m) => m.blocks?.some((b) => JSON.stringify(b).includes('Take upstream'))),
      'the waiting hunk in the thread',
    );
    expect(visibleText([waiting.text, waiting.blocks])).toContain('src/app.py');

    // Someone not on the resolve list is refused; nothing is recorded.
    await w.send(() => w.slack.clickButton({ message: waiting, label: 'Take upstream', user: BOB }));
    await w.until(() => w.slack.ephemeralsFor(BOB, OPS).length > 0, 'the refusal');
    expect(await w.github.branchSha(FORK, SYNC_BRANCH)).toBe(ours);

    await w.send(() => w.slack.clickButton({ message: waiting, label: 'Take upstream', user: ALICE }));
    const pushed = await w.until(() => {
      const pulls = w.github.pulls(FORK);
      return pulls.length ? pulls : null;
    }, 'the sync PR after the choice');
    expect(pushed).toHaveLength(1);
    const merged = (await w.github.branchSha(FORK, SYNC_BRANCH))!;
    expect((await w.github.git(FORK, ['log', '-1', '--format=%P', merged])).trim()).toBe(`${ours} ${u}`);
    expect(await w.github.git(FORK, ['show', `${merged}:src/app.py`])).toBe('a = 1\nb = UPSTREAM\nc = 3\n');
    expect(await w.github.git(FORK, ['log', '-1', '--format=%B', merged])).toMatch(/src\/app\.py: \w+ by person/);

    // `status` shows the sync branch against the target and upstream, and the PR.
    await w.until(() => w.services.syncRecords.facts('webui')?.facts.syncBranchSha === merged, 'the run facts');
    const before = w.slack.ephemeralsFor(ALICE, OPS).length;
    await w.send(() =>
      w.slack.sendSlashCommand({
        command: '/upstream-sync',
        text: 'status webui',
        user_id: ALICE,
        channel_id: OPS,
      }),
    );
    // Earlier answers (the choice was queued) may still be arriving: wait for the status itself.
    const status = await w.until(
      () =>
        w.slack
          .ephemeralsFor(ALICE, OPS)
          .slice(before)
          .find((m) => visibleText(m.blocks ?? '').includes('Behind upstream')),
      'the status answer',
    );
    const text = visibleText(status.blocks ?? '');
    expect(text).toContain('Ahead of');
    expect(text).toContain('2 commits');
    expect(text).toContain('Behind upstream');
    expect(text).toContain(`#${pushed[0]!.number}`);

    // CI goes green on the PR: the card is ready, the readiness label is on, and Approve & merge
    // merges it into dev with a merge commit.
    const pr = pushed[0]!;
    await w.github.setCheckRun(FORK, merged, { name: 'tests', status: 'completed', conclusion: 'success' });
    await w.until(() => w.snapshot(tag)?.stage === 'ready', 'the ready card');
    await w.until(() => w.github.pull(FORK, pr.number).labels.includes('sync-ready'), 'the readiness label');
    const ready = await w.until(() => {
      const c = w.cardOf(tag);
      // The button itself: the ledger's line on the card also names Approve & merge.
      return c && buttonLabels(c.blocks).includes('Approve & merge') ? c : null;
    }, 'Approve & merge on the card');
    // Kept for a late click on the old button after the merge.
    const approve = buttonAction(findButton(ready.blocks, 'Approve & merge')!);
    // Taking upstream dropped the fork's `b = ACME`: the ledger (built like release-sync's) says so
    // in the PR body, on the card and in the thread, and Approve & merge is refused until accepted.
    expect(w.github.pull(FORK, pr.number).body).toContain('1 dropped');
    expect(w.services.ledgers.latest('webui', { pr: pr.number })?.entries.map((e) => [e.path, e.fate])).toEqual([
      ['acme.py', 'kept'],
      ['src/app.py', 'dropped'],
    ]);
    expect(w.snapshot(tag)?.ledgerBlock).toMatchObject({ dropped: 1, guardsFailing: 0 });
    // The PR merged is the one the stored card names: a value edited to name another PR is out of
    // date, and nothing is queued.
    const value = JSON.parse(String(approve.value)) as Record<string, unknown>;
    expect(value.pr).toBe(pr.number);
    await w.send(() =>
      editedClick(w.slack, {
        user: ALICE,
        message: ready,
        button: approve,
        edit: (v) => ({ ...v, pr: pr.number + 100 }),
      }),
    );
    await w.until(
      () =>
        w.slack
          .ephemeralsFor(ALICE, OPS)
          .some((m) => visibleText(m.blocks ?? m.text ?? '').includes('That button is out of date')),
      'the stale answer',
    );
    expect(await w.services.runner.list({ kind: 'merge' })).toEqual([]);
    await w.send(() => w.slack.clickButton({ message: ready, label: 'Approve & merge', user: ALICE }));
    await w.until(
      () => w.thread(tag).some((m) => visibleText([m.text, m.blocks]).includes('1 fork hunk dropped by the sync')),
      'the refusal in the thread',
    );
    expect(w.github.pull(FORK, pr.number).merged).toBe(false);
    const ledgerReply = await w.until(
      () => w.thread(tag).findLast((m) => JSON.stringify(m.blocks ?? []).includes('Accept drop')),
      'the ledger reply with its buttons',
    );
    await w.send(() => w.slack.clickButton({ message: ledgerReply, label: 'Accept drop', user: ALICE }));
    await w.until(() => w.services.ledgers.acceptances('webui', tag).length === 1, 'the accepted drop');
    await w.until(() => w.snapshot(tag)?.ledgerBlock?.dropped === 0, 'the card without the block');
    await w.send(() => w.slack.clickButton({ message: ready, label: 'Approve & merge', user: ALICE }));
    await w.until(() => w.github.pull(FORK, pr.number).merged, 'the merge');
    expect(w.github.merges.filter((m) => m.ok)).toEqual([
      expect.objectContaining({ number: pr.number, method: 'merge' }),
    ]);
    await w.until(() => w.snapshot(tag)?.stage === 'merged', 'the merged card');

    // A late click on the old Approve & merge is told where the sync is; nothing more is queued.
    const mergeJobs = (await w.services.runner.list({ kind: 'merge' })).length;
    await w.send(() =>
      w.slack.sendBlockAction({ user: ALICE, source: { kind: 'message', message: ready }, action: approve }),
    );
    await w.until(
      () =>
        w.slack
          .ephemeralsFor(ALICE, OPS)
          .some((m) =>
            visibleText([m.text, m.blocks]).includes(
              `Not merging: PR #${pr.number} is not ready: the sync is at "merged".`,
            ),
          ),
      'the not-ready answer',
    );
    expect(await w.services.runner.list({ kind: 'merge' })).toHaveLength(mergeJobs);
  });
});
