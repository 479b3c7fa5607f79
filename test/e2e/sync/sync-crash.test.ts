import { describe, expect, it } from 'vitest';
import type { RequestLogEntry } from '../../../src/sandbox/github/request-handler.js';
import { FORK, publishRelease } from '../../pipelines/release-sync/harness.js';
import { cliWorld, type CliWorld } from './cli-process.js';
import type { RequestAt } from '../../helpers/hold-nth-request.js';
import { until } from '../../helpers/until.js';

// The killed run's request is held by the stand-in behind a gate the test opens, so the moment
// its effect lands (before the restart, or in the middle of the restart's own push) is chosen
// here, never left to the scheduler.

function gate(): { promise: Promise<void>; open: () => void } {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}

const PUSH: RequestAt = { method: 'POST', path: '/CartoDB/litellm.git/git-receive-pack' };
const OPEN_PR: RequestAt = { method: 'POST', path: '/repos/CartoDB/litellm/pulls' };

const matching = (w: CliWorld, at: RequestAt): RequestLogEntry[] =>
  w.sandbox.requests.filter((r) => r.method === at.method && r.path === at.path);

/** Kills the first sync while its first `at` request waits at a gate, before the stand-in handles it. */
async function killedAt(w: CliWorld, at: RequestAt) {
  const held = gate();
  w.sandbox.faults.inject({ ...at, gate: held.promise, times: 1 });
  const first = w.start(['sync', '--config', w.configFile, '--json']);
  await until(() => matching(w, at).length >= 1, `${at.method} ${at.path}`);
  const request = matching(w, at)[0]!;
  first.child.kill('SIGKILL');
  expect((await first.done).signal).toBe('SIGKILL');
  /** Lets the held request through and waits until the stand-in has answered it (its effect landed). */
  const land = async () => {
    held.open();
    await until(() => request.status !== 0, 'the held request to be answered');
  };
  return { land };
}

async function expectOneBranchOnePr(w: CliWorld, again: { code: number | null; stderr: string; json: unknown[] }) {
  expect(again.code, again.stderr).toBe(0);
  const result = again.json[0] as Record<string, unknown>;
  expect(result).toMatchObject({ pipeline: 'litellm', outcome: 'pr-created', latestTag: 'v1.81.0-stable' });
  expect(await syncBranches(w)).toEqual(['refs/heads/upstream-sync/v1.81.0-stable']);
  expect(w.sandbox.pulls(FORK)).toHaveLength(1);
  expect(w.sandbox.pulls(FORK)[0]!.number).toBe((result.pr as { number: number }).number);
}

const syncBranches = async (w: CliWorld): Promise<string[]> =>
  (await w.sandbox.git(FORK, ['for-each-ref', '--format=%(refname)', 'refs/heads/upstream-sync/']))
    .split('\n')
    .filter((l) => l.length > 0);

describe('kill -9 while the mirror and the sync branch are pushed (one push)', () => {
  it('the push lands before the restart: the restart adopts it; one branch and one PR', async () => {
    const w = await cliWorld();
    await publishRelease(w.sandbox, '1.81.0', { 'litellm/new.py': 'new\n' });
    const { land } = await killedAt(w, PUSH);
    await land();
    expect(await syncBranches(w)).toHaveLength(1);

    await expectOneBranchOnePr(w, await w.run(['sync', '--config', w.configFile, '--json']));
  });

  it('the push lands between the restart’s ref advertisement and its own update: the lost race is retried; one branch and one PR', async () => {
    const w = await cliWorld();
    await publishRelease(w.sandbox, '1.81.0', { 'litellm/new.py': 'new\n' });
    const { land } = await killedAt(w, PUSH);
    // The restart reads the fork (no sync branch, the mirror where it was) and sends the same two
    // updates; git checked its lease against the advertisement, so only the server's
    // compare-and-swap sees that the refs moved ("cannot lock ref ... is at X but expected Y").
    const restartPush = gate();
    w.sandbox.faults.inject({ ...PUSH, gate: restartPush.promise, times: 1 });
    const again = w.start(['sync', '--config', w.configFile, '--json']);
    await until(() => matching(w, PUSH).length >= 2, 'the restart’s push');
    expect(await syncBranches(w)).toEqual([]);
    await land();
    expect(await syncBranches(w)).toHaveLength(1);
    restartPush.open();

    await expectOneBranchOnePr(w, await again.done);
  });

  it('the push lands after the restart finished: it changes nothing', async () => {
    const w = await cliWorld();
    await publishRelease(w.sandbox, '1.81.0', { 'litellm/new.py': 'new\n' });
    const { land } = await killedAt(w, PUSH);
    await expectOneBranchOnePr(w, await w.run(['sync', '--config', w.configFile, '--json']));
    const refs = await w.sandbox.git(FORK, ['for-each-ref', '--format=%(refname) %(objectname)', 'refs/heads/']);

    await land();
    expect(await w.sandbox.git(FORK, ['for-each-ref', '--format=%(refname) %(objectname)', 'refs/heads/'])).toBe(refs);
  });
});

describe('kill -9 while the PR is being opened', () => {
  it('GitHub opened it, the answer was lost: the restart finds it; one branch and one PR', async () => {
    const w = await cliWorld();
    await publishRelease(w.sandbox, '1.81.0', { 'litellm/new.py': 'new\n' });
    w.sandbox.faults.inject({ ...OPEN_PR, holdResponseMs: 60_000, times: 1 });
    const first = w.start(['sync', '--config', w.configFile, '--json']);
    await until(() => w.sandbox.pulls(FORK).length === 1, 'the PR');
    first.child.kill('SIGKILL');
    expect((await first.done).signal).toBe('SIGKILL');

    await expectOneBranchOnePr(w, await w.run(['sync', '--config', w.configFile, '--json']));
  });

  it('the request never reached GitHub: the restart opens it; one branch and one PR', async () => {
    const w = await cliWorld();
    await publishRelease(w.sandbox, '1.81.0', { 'litellm/new.py': 'new\n' });
    await killedAt(w, OPEN_PR); // its gate is never opened
    expect(w.sandbox.pulls(FORK)).toHaveLength(0);

    await expectOneBranchOnePr(w, await w.run(['sync', '--config', w.configFile, '--json']));
  });
});
