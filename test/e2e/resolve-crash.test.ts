import { describe, expect, it } from 'vitest';
import { DECISION_LOG_MARKER } from '../../src/core/resolve/decision-log.js';
import { FORK, publishRelease } from '../pipelines/release-sync/harness.js';
import { cliWorld, type CliWorld } from './sync/cli-process.js';
import { until } from '../helpers/until.js';

// kill -9 of the real `upstream-sync resolve` process at the named moment, then a restart: the
// end state is one resolution commit on the sync branch and one decision-log comment.

/** A sync PR whose only conflict is a build artefact (the built-in **\/out/** rule takes upstream). */
async function conflictingSyncPr(w: CliWorld): Promise<{ pr: number; branch: string; head: string }> {
  await w.sandbox.pushCommit(FORK, {
    branch: 'carto/main',
    files: { 'ui/out/index.html': '<html>carto build</html>\n' },
    message: 'build: carto ui',
  });
  await publishRelease(w.sandbox, '1.81.0', { 'ui/out/index.html': '<html>upstream build</html>\n' });
  const synced = await w.run(['sync', '--config', w.configFile, '--json']);
  expect(synced.json[0]).toMatchObject({ outcome: 'pr-created' });
  const pr = (synced.json[0]!.pr as { number: number }).number;
  const branch = w.sandbox.pull(FORK, pr).headRef;
  return { pr, branch, head: (await w.sandbox.branchSha(FORK, branch))! };
}

describe('kill -9 in the middle of the resolver', () => {
  it.each([
    ['between the resolution commit and the push', () => ({ method: 'POST', path: `/${FORK}.git/git-receive-pack` })],
    [
      'between the push and the PR comment',
      () => ({ method: 'POST', path: /^\/repos\/CartoDB\/litellm\/issues\/\d+\/comments$/ }),
    ],
  ])('%s: the restart ends with one commit and one comment', async (name, at) => {
    const w = await cliWorld();
    const { pr, branch, head } = await conflictingSyncPr(w);
    const fault = at();
    const seen = () =>
      w.sandbox.requests.filter(
        (r) =>
          r.method === fault.method &&
          (typeof fault.path === 'string' ? r.path === fault.path : fault.path.test(r.path)),
      ).length;
    const before = seen();
    w.sandbox.faults.inject({ ...fault, latencyMs: 3000, times: 1 });
    const first = w.start(['resolve', '--pr', String(pr), '--config', w.configFile, '--json']);
    await until(() => seen() > before, 'the held request');
    first.child.kill('SIGKILL');
    expect((await first.done).signal).toBe('SIGKILL');
    // The named moment: after the push, the branch had moved when the process died.
    if (name.includes('after the push') || name.includes('between the push'))
      expect(await w.sandbox.branchSha(FORK, branch)).not.toBe(head);

    const again = await w.run(['resolve', '--pr', String(pr), '--config', w.configFile, '--json']);
    expect(again.code).toBe(0);
    expect(again.json[0]).toMatchObject({ outcome: 'resolved' });
    const now = (await w.sandbox.branchSha(FORK, branch))!;
    expect((await w.sandbox.git(FORK, ['rev-list', '--count', '--first-parent', `${head}..${now}`])).trim()).toBe('1');
    expect(await w.sandbox.git(FORK, ['show', `${now}:ui/out/index.html`])).toBe('<html>upstream build</html>\n');
    const logs = w.sandbox.comments(FORK, pr).filter((c) => c.body.startsWith(DECISION_LOG_MARKER));
    expect(logs).toHaveLength(1);
    expect(logs[0]!.body).toContain(now.slice(0, 7));
  });
});
