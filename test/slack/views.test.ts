import { firstReleaseSync } from '../helpers/pipelines.js';
import { describe, expect, it } from 'vitest';
import type { ConflictFileOutcome, SyncStage, WaitingHunk } from '../../src/ports.js';
import { appHomeView } from '../../src/slack/views/app-home.js';
import { helpMessage, usageMessage } from '../../src/slack/views/help.js';
import { releasePreviewModal } from '../../src/slack/views/release-modal.js';
import { pipelineFacts } from '../../src/slack/views/stages.js';
import { statusMessage, type StatusView } from '../../src/slack/views/status.js';
import { syncCard } from '../../src/slack/views/sync-card.js';
import { conflictsReply, failureReply, stageReply, waitingReply } from '../../src/slack/views/sync-thread.js';
import { buttonLabels, expectValidMessage, expectValidView, markupProblems } from './block-checks.js';
import { ALICE, OPS_GROUP, snapshot, testConfig } from './fixtures.js';

const config = testConfig();
const litellm = pipelineFacts(firstReleaseSync(config));
const HOSTILE = '<!channel> *urgent* <https://evil.example|github.com> & `x` @here';

const EXPECTED: Record<SyncStage, { buttons: string[]; next: RegExp | null }> = {
  queued: { buttons: ['View PR / diff', 'View changes', 'Skip this release'], next: /Merge or close PR #120/ },
  'up-to-date': { buttons: [], next: null },
  detected: { buttons: ['View changes', 'Skip this release'], next: /mirror branch/ },
  'mirror-updated': { buttons: ['View changes', 'Skip this release'], next: /Building the sync branch/ },
  'pr-open': { buttons: ['View PR / diff', 'View changes', 'Skip this release'], next: /Waiting for CI/ },
  resolving: { buttons: ['View PR / diff', 'View changes', 'Skip this release'], next: /resolver is working/ },
  'needs-person': {
    buttons: ['Resolve conflicts', 'View PR / diff', 'View changes', 'Skip this release'],
    next: /Decide the waiting hunks/,
  },
  ci: { buttons: ['View PR / diff', 'View changes', 'Skip this release'], next: /Waiting for CI/ },
  ready: {
    buttons: ['Approve & merge', 'View PR / diff', 'View changes', 'Skip this release'],
    next: /Approve &amp; merge/,
  },
  merged: {
    buttons: ['Release patch', 'Release minor', 'Release major', 'View PR / diff', 'View changes'],
    next: /Cut a release/,
  },
  released: { buttons: ['View PR / diff', 'View release', 'View changes'], next: null },
  failed: { buttons: ['Retry', 'View PR / diff', 'View changes', 'Skip this release'], next: /Retry/ },
  skipped: { buttons: ['View PR / diff', 'View changes'], next: /unskip/ },
  superseded: { buttons: ['View PR / diff', 'View changes'], next: null },
};

function visible(msg: { blocks: unknown[] }): string {
  return JSON.stringify(msg.blocks);
}

describe('sync card', () => {
  it.each(Object.keys(EXPECTED) as SyncStage[])('%s: valid, with its next action and only its buttons', (stage) => {
    const card = syncCard(snapshot(stage), litellm);
    expectValidMessage(card);
    expect(buttonLabels(card.blocks)).toEqual(EXPECTED[stage].buttons);
    const next = EXPECTED[stage].next;
    if (next) expect(visible(card)).toMatch(new RegExp(`Next:.*${next.source}`));
    else expect(visible(card)).not.toContain('Next:');
  });

  it('withholds Approve & merge unless CI is green and the PR mergeable', () => {
    expect(
      buttonLabels(
        syncCard(snapshot('ready', { ci: { state: 'failure', total: 3, failing: ['lint'], pending: [] } }), litellm)
          .blocks,
      ),
    ).not.toContain('Approve & merge');
    expect(buttonLabels(syncCard(snapshot('ready', { mergeable: false }), litellm).blocks)).not.toContain(
      'Approve & merge',
    );
  });

  it('puts confirm dialogs on Approve & merge and Skip this release', () => {
    const blocks = syncCard(snapshot('ready'), litellm).blocks as {
      type: string;
      elements?: { text: { text: string }; confirm?: unknown }[];
    }[];
    const buttons = blocks.flatMap((b) => b.elements ?? []).filter((e) => e.text?.text);
    const confirmed = buttons.filter((b) => b.confirm).map((b) => b.text.text);
    expect(confirmed).toEqual(['Approve & merge', 'Skip this release']);
  });

  it('escapes a hostile PR title, tag and error', () => {
    const card = syncCard(
      snapshot('failed', {
        tag: 'v1.0.0-<b>',
        pr: { number: 1, url: 'https://github.com/CartoDB/litellm/pull/1', title: HOSTILE },
        error: { code: 'git_failed', message: HOSTILE, step: HOSTILE },
      }),
      litellm,
    );
    expectValidMessage(card);
    const open = syncCard(
      snapshot('pr-open', { pr: { number: 1, url: 'https://github.com/CartoDB/litellm/pull/1', title: HOSTILE } }),
      litellm,
    );
    expectValidMessage(open);
    expect(visible(open)).toContain('&lt;!channel&gt;');
    expect(open.text).not.toContain('<!channel>');
  });

  it('never puts a button with an empty or non-http URL on the card', () => {
    const card = syncCard(
      snapshot('released', { compareUrl: '', release: { tag: 'v1', url: 'javascript:alert(1)' } }),
      litellm,
    );
    expectValidMessage(card);
    expect(buttonLabels(card.blocks)).toEqual(['View PR / diff']);
  });
});

describe('a sync with 800 conflicted files', () => {
  const files: ConflictFileOutcome[] = Array.from({ length: 800 }, (_, i) => ({
    path: `litellm/proxy/_experimental/out/chunk_${i}_<&>.${'x'.repeat(60)}.js`,
    kind: i % 7 === 0 ? 'modify/delete' : 'content',
    decision: i % 50 === 0 ? 'waiting' : i % 3 === 0 ? 'fork' : 'upstream',
    by: i % 50 === 0 ? null : 'rule',
    reason: 'build artefact & generated <code>',
  }));

  it('fits the card and the thread reply within Block Kit limits', () => {
    const counts = { files: 800, byRule: 784, byStructure: 0, byMemory: 0, byLlm: 0, byPerson: 0, waiting: 16 };
    const card = syncCard(snapshot('needs-person', { conflicts: counts }), litellm);
    expectValidMessage(card);
    const reply = conflictsReply(files);
    expectValidMessage(reply);
    expect(reply.blocks.length).toBeLessThanOrEqual(50);
    expect(visible(reply)).toMatch(/…and \d+ more/);
    // The files waiting for a person come first.
    expect(JSON.stringify(reply.blocks[1])).toContain('waiting for a person');
  });

  it('fits hunks waiting for a person, however long', () => {
    const hunks: WaitingHunk[] = Array.from({ length: 30 }, (_, i) => ({
      id: `h${i}`,
      path: `Dockerfile${'/x'.repeat(500)}`,
      index: i + 1,
      of: 30,
      upstream: '&<>```'.repeat(1000),
      fork: 'RUN echo `id` <!channel>\n'.repeat(200),
      url: 'https://github.com/CartoDB/litellm/pull/1/files',
    }));
    const reply = waitingReply({ pipeline: litellm, pr: 1, hunks });
    expectValidMessage(reply);
    expect(buttonLabels(reply.blocks).slice(0, 3)).toEqual(['Take upstream', 'Take fork', 'Open in GitHub']);
    expect(visible(reply)).toContain('…and 20 more hunks');
  });
});

describe('thread replies', () => {
  it('offers Retry with a failure', () => {
    const reply = failureReply({
      pipeline: litellm,
      tag: 'v1',
      step: 'push',
      error: { code: 'push_rejected', message: 'x'.repeat(10_000) },
      jobId: 7,
    });
    expectValidMessage(reply);
    expect(buttonLabels(reply.blocks)).toEqual(['Retry']);
  });

  it.each(['ready', 'needs-person', 'failed', 'queued', 'merged', 'released'] as SyncStage[])(
    'stage reply for %s',
    (stage) => {
      expectValidMessage(stageReply(snapshot(stage), litellm));
    },
  );
});

function status(patch: Partial<StatusView> = {}): StatusView {
  return {
    pipeline: litellm,
    productionVersion: '1.79.1',
    lastSyncedTag: 'v1.79.1-stable',
    latestUpstream: { tag: 'v1.81.12-stable', url: 'https://github.com/BerriAI/litellm/releases/tag/v1.81.12-stable' },
    releasesBehind: 3,
    commitsBehind: 412,
    openSync: snapshot('ci', { ci: { state: 'pending', total: 10, failing: [], pending: ['test'] } }),
    lastRuns: [
      {
        id: 41,
        kind: 'sync',
        state: 'failed',
        subject: 'v1.81.9-stable',
        requestedBy: { kind: 'slack', id: ALICE },
        createdAt: '2026-03-09T00:00:00Z',
        finishedAt: '2026-03-09T00:05:00Z',
        error: HOSTILE,
      },
    ],
    nextCheck: '2026-03-16T12:00:00Z',
    warnings: [`pyproject.toml says 1.81.6 but the last synced tag is v1.81.3-stable ${HOSTILE}`],
    skipped: ['v1.80.0-stable'],
    refreshedAt: '2026-03-11T11:59:00Z',
    refreshing: true,
    ...patch,
  };
}

describe('status and App Home', () => {
  it('shows every fact per pipeline', () => {
    const msg = statusMessage([status()]);
    expectValidMessage(msg);
    const text = visible(msg);
    for (const fact of [
      '1.79.1',
      'v1.81.12-stable',
      '3 releases, 412 commits',
      '#123',
      'CI:',
      'Next check',
      'Last runs',
      '#41',
      '⚠️',
      'refreshing in the background',
      'v1.80.0-stable',
    ]) {
      expect(text).toContain(fact);
    }
  });

  it('shows the GitHub budget and the last round once, in status and App Home', () => {
    const budget = [
      'GitHub budget (token): 4812 of 5000 requests left, resets 13:00 UTC (as of 4 s ago)',
      'last full round: 500 scheduled checks in 41 s, 12 counted requests (ended 2 min ago)',
    ];
    const two = [status({ budget }), status({ budget })];
    for (const view of [statusMessage(two), appHomeView(two)]) {
      const text = visible(view as never);
      expect(text.split('4812 of 5000 requests left')).toHaveLength(2);
      expect(text).toContain('500 scheduled checks in 41 s');
    }
    expect(visible(statusMessage([status()]))).not.toContain('GitHub budget');
  });

  it('stays valid with many pipelines and unknown facts', () => {
    const many = Array.from({ length: 20 }, () =>
      status({
        latestUpstream: null,
        productionVersion: null,
        releasesBehind: null,
        commitsBehind: null,
        openSync: null,
        refreshedAt: null,
      }),
    );
    expectValidMessage(statusMessage(many));
    expectValidView(appHomeView(many));
  });
});

describe('help, usage and the release preview', () => {
  it('lists every command with who may run it, including nobody', () => {
    const msg = helpMessage({
      audience: {
        status: 'everyone',
        history: 'everyone',
        help: 'everyone',
        check: [ALICE, OPS_GROUP],
        sync: [ALICE],
        resolve: [ALICE],
        release: [ALICE],
        skip: null,
        unskip: null,
      },
      pipelines: ['litellm'],
    });
    expectValidMessage(msg);
    const text = visible(msg);
    for (const c of ['status', 'check', 'sync', 'resolve', 'release', 'skip', 'unskip', 'history', 'help'])
      expect(text).toContain(`/upstream-sync ${c}`);
    expect(text).toContain('nobody (no access list)');
    expect(text).toContain(`<!subteam^${OPS_GROUP}>`);
  });

  it('names the problem in usage text, escaped', () => {
    const msg = usageMessage('unknown command "<!channel>"', null);
    expectValidMessage(msg);
    expect(markupProblems(msg.blocks)).toEqual([]);
  });

  it('previews the next tag and the notes in a valid modal', () => {
    const view = releasePreviewModal(
      {
        pipeline: 'litellm',
        bump: 'minor',
        nextTag: 'v1.81.12-carto.1.3.0',
        previousTag: 'v1.81.12-carto.1.2.0',
        upstream: '1.81.12',
        commitCount: 4,
        notes: `## ✨ Features\n- ${HOSTILE}\n`.repeat(400),
        warnings: ['sync PR #130 is still open'],
      },
      'C09K0M5MP7V',
    );
    expectValidView(view);
    expect(JSON.stringify(view)).toContain('v1.81.12-carto.1.3.0');
    expect(view.submit?.text).toBe('Release');
  });
});
