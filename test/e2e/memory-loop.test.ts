import { describe, expect, it } from 'vitest';
import { DECISION_LOG_MARKER } from '../../src/core/resolve/decision-log.js';
import { enqueueLearn, learnJobInput } from '../../src/jobs/job-kinds.js';
import { conflictText } from '../../src/slack/views/stages.js';
import { firstReleaseSync } from '../helpers/pipelines.js';
import { ALLOWED_SLACK, FORK, UPSTREAM, resolveWorld, type ResolveWorld, type Scenario } from './resolve-world.js';

// Resolution memory as a loop: sync A meets a conflict, a person decides it from Slack (the
// resolve job a "Take fork" click enqueues), the PR merges and the learn job remembers what
// landed; sync B meets the same hunk and memory decides it, naming the earlier PR and person.
// Upstream cuts v1.82.0 on a stable branch carrying the same change (as LiteLLM's stable
// releases are cut), so sync B merges from the same base and meets the very same hunk.

const pyproject = (v: string) => `[tool.poetry]\nname = "litellm"\nversion = "${v}"\n`;

const scenario: Scenario = {
  base: { 'litellm/utils.py': 'def retries():\n    return 1\n' },
  fork: { 'litellm/utils.py': 'def retries():\n    return 5  # CARTO\n' },
  upstream: { 'litellm/utils.py': 'def retries():\n    return 3\n' },
};

const options = {
  jobKinds: ['sync', 'resolve', 'learn'],
  pipeline: {
    resolution: {
      llm: { enabled: false },
      rules: [{ paths: ['pyproject.toml'], take: 'upstream', reason: 'the version follows upstream' }],
    },
  },
};

/** Sync A to its PR, a person takes the fork's side from Slack, the PR merges and is learned. */
async function syncAMergedByPerson(w: ResolveWorld): Promise<number> {
  await w.sync();
  const prA = w.sandbox.pulls(FORK).at(-1)!.number;
  expect((await w.latestResolve()).outcome).toBe('waiting');
  const waiting = w.details.find((d) => d.kind === 'waiting');
  const hunkId = waiting?.kind === 'waiting' ? waiting.hunks[0]!.id : '';
  const person = { kind: 'slack' as const, id: ALLOWED_SLACK };
  expect((await w.runResolve(person, [{ hunkId, take: 'fork', by: person }])).outcome).toBe('resolved');
  const merged = await w.sandbox.mergePullAs(FORK, prA, 'carto-dev', { method: 'merge' });
  const p = firstReleaseSync(w.services.config);
  await enqueueLearn(w.services.runner, learnJobInput(p, prA, merged.sha, { kind: 'bot', id: 'ci-watcher' }));
  await w.services.runner.runUntilIdle({ timeoutMs: 60_000 });
  return prA;
}

/** Upstream v1.82.0 on a stable branch from v1.80.0 with the same utils.py change. */
async function releaseOnStableBranch(w: ResolveWorld): Promise<void> {
  const base = (await w.sandbox.git(UPSTREAM, ['rev-parse', 'main~1'])).trim();
  const tag = await w.sandbox.pushCommit(UPSTREAM, {
    branch: 'stable/1.82',
    from: base,
    files: { 'pyproject.toml': pyproject('1.82.0'), 'litellm/utils.py': scenario.upstream['litellm/utils.py']! },
    message: 'release 1.82.0',
  });
  await w.sandbox.addRelease(UPSTREAM, { tag: 'v1.82.0-stable', target: tag, publishedAt: '2026-03-01T00:00:00Z' });
}

describe('resolution memory, the whole loop', () => {
  it('a person decides in sync A; after the merge, sync B replays it by memory, naming the PR and the person', async () => {
    const w = await resolveWorld(scenario, options);
    const prA = await syncAMergedByPerson(w);
    await releaseOnStableBranch(w);
    w.notes.length = 0;

    await w.sync();
    const prB = w.sandbox.pulls(FORK).at(-1)!;
    expect(prB.number).not.toBe(prA);
    const result = await w.latestResolve();
    expect(result.outcome).toBe('resolved');

    const log = w.services.resolver.decisions(FORK, prB.number, await headBefore(w, result.commit!));
    const utils = log.find((r) => r.path === 'litellm/utils.py');
    expect(utils).toMatchObject({ layer: 'memory', text: '    return 5  # CARTO\n' });
    expect(utils!.rationale).toContain(`${FORK}#${prA} litellm/utils.py, decided by ${ALLOWED_SLACK}`);
    const comment = w.sandbox.comments(FORK, prB.number).find((c) => c.body.startsWith(DECISION_LOG_MARKER))!;
    expect(comment.body).toContain(`${FORK}#${prA}`);
    expect(comment.body).toContain(ALLOWED_SLACK);
    expect(await w.sandbox.git(FORK, ['show', `${result.commit}:litellm/utils.py`])).toBe(
      scenario.fork['litellm/utils.py'],
    );

    const conflicts = w.notes.map((n) => n.update.conflicts).findLast((c) => c && c.files > 0);
    expect(conflicts).toMatchObject({ byMemory: 1, waiting: 0, byPerson: 0 });
    expect(conflictText(conflicts)).toContain('1 by memory');
  });

  it('a remembered decision whose text changed since is not applied: the hunk waits for a person', async () => {
    const w = await resolveWorld(scenario, options);
    await syncAMergedByPerson(w);
    // Production edits the remembered line after the merge: the hunk sync B meets is not the one decided.
    await w.sandbox.pushCommit(FORK, {
      branch: 'carto/main',
      files: { 'litellm/utils.py': 'def retries():\n    return 6  # CARTO, more retries\n' },
      message: 'fix: more retries',
      as: 'carto-dev',
    });
    await releaseOnStableBranch(w);
    w.notes.length = 0;
    w.details.length = 0;

    await w.sync();
    const result = await w.latestResolve();
    expect(result.outcome).toBe('waiting');
    const waiting = w.details.find((d) => d.kind === 'waiting');
    expect(waiting?.kind === 'waiting' && waiting.hunks.map((h) => h.path)).toEqual(['litellm/utils.py']);
    const conflicts = w.notes.map((n) => n.update.conflicts).findLast((c) => c && c.files > 0);
    expect(conflicts).toMatchObject({ byMemory: 0, waiting: 1 });
  });
});

/** The sync branch head the resolver planned on: the first parent of its resolution commit. */
async function headBefore(w: ResolveWorld, commit: string): Promise<string> {
  return (await w.sandbox.git(FORK, ['rev-parse', `${commit}^1`])).trim();
}
