import { firstReleaseSync } from '../helpers/pipelines.js';
import { describe, expect, it } from 'vitest';
import { describeStatus } from '../../src/cli/status.js';
import type { PipelineStatus } from '../../src/pipelines/release-sync/sync-status.js';
import { actorMention, actorName, count } from '../../src/core/wording.js';
import { pipelineFacts } from '../../src/slack/views/stages.js';
import { syncCard } from '../../src/slack/views/sync-card.js';
import { conflictsReply, stageReply, waitingReply } from '../../src/slack/views/sync-thread.js';
import { previewMessage } from '../../src/workflows/resolve/resolve-preview.js';
import { ALICE, snapshot, testConfig } from '../slack/fixtures.js';

// Issue 11 item 9: "1 commits behind", "file(s)", "slack user U012ABCDEF". Counts agree with their
// noun everywhere; Slack names people with <@U…> mentions, plain-text surfaces with a name.

const litellm = pipelineFacts(firstReleaseSync(testConfig()));

function cliStatus(patch: Partial<PipelineStatus>): string {
  const base: PipelineStatus = {
    pipeline: 'litellm',
    state: 'behind',
    currentVersion: '1.80.0',
    lastSyncedTag: null,
    latestTag: 'v1.81.0-stable',
    commitsBehind: 1,
    openPr: null,
    queuedTag: null,
    waiting: [],
    skipList: [],
    skipped: [],
    lastRun: null,
    nextRunAt: null,
    warnings: [],
    stale: false,
  };
  return describeStatus({ ...base, ...patch }).join('\n');
}

describe('wording: counts and names (issue 11 item 9)', () => {
  it.each([
    [0, 'commit', '0 commits'],
    [1, 'commit', '1 commit'],
    [2, 'commit', '2 commits'],
    [1, 'person', '1 person'],
    [3, 'person', '3 people'],
  ])('count(%i, %s) = %s', (n, word, text) => expect(count(n, word)).toBe(text));

  it('CLI status says "1 commit behind", never "1 commits"', () => {
    expect(cliStatus({ commitsBehind: 1 })).toContain('; 1 commit behind');
    expect(cliStatus({ commitsBehind: 2 })).toContain('; 2 commits behind');
    expect(cliStatus({ commitsBehind: 1 })).not.toMatch(/1 commits/);
  });

  it('thread replies count files and hunks without "(s)"', () => {
    const one = stageReply(snapshot('needs-person', { conflicts: { files: 1, waiting: 1 } as never }), litellm);
    expect(JSON.stringify(one)).toContain('1 file waiting for a person');
    expect(JSON.stringify(one)).not.toContain('(s)');
    const files = conflictsReply([
      { path: 'a.py', kind: 'content', decision: 'upstream', by: 'rule', reason: null },
    ] as never);
    expect(files.text).toBe('Conflicts in 1 file');
    const hunk = { id: 'h1', path: 'a.py', index: 0, upstream: 'a', fork: 'b', base: '', url: null } as never;
    expect(waitingReply({ pipeline: litellm, pr: 1, hunks: [hunk] }).text).toBe('1 hunk on PR #1 needs a person');
  });

  it('Slack mentions people; plain text names them and never says "slack user U…"', () => {
    const alice = { kind: 'slack' as const, id: ALICE, name: 'alice' };
    expect(actorMention(alice)).toBe(`<@${ALICE}>`);
    expect(actorName(alice)).toBe('@alice');
    expect(actorName({ kind: 'slack', id: ALICE })).not.toMatch(/slack user/i);
    expect(actorName({ kind: 'github', id: 'mateo-di' })).toBe('@mateo-di on GitHub');
    expect(actorMention({ kind: 'cron', id: 'litellm' })).toBe('the schedule');
    const card = syncCard(snapshot('pr-open', { requestedBy: { kind: 'cli', id: 'ops' } }), litellm);
    expect(JSON.stringify(card.blocks)).toContain('started by ops (CLI)');
  });

  it('the resolve preview counts files with the right plural', () => {
    expect(previewMessage(1, 1, 3, 1)).toBe('PR #1: 1 of 3 hunks decided without the LLM; 1 file would go to the LLM');
  });
});
