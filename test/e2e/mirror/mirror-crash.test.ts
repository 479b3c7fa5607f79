import { describe, expect, it } from 'vitest';
import { openStore } from '../../../src/adapters/store/open-store.js';
import { SOURCE, TARGET, mirrorWorld, sourceCommit } from './mirror-world.js';
import { holdNthRequest } from '../../helpers/hold-nth-request.js';

const RECEIVE = { method: 'POST', path: `/${TARGET}.git/git-receive-pack` };

describe('kill -9 in the middle of a mirror push, then a rerun', { timeout: 240_000 }, () => {
  it.each([
    ['the branch push', 1],
    ['the tag push', 2],
  ])('during %s: the rerun ends with the target at the source head, the tag there, one stored run', async (_n, nth) => {
    const w = await mirrorWorld();
    const s1 = await sourceCommit(w.sandbox, { 'a.c': '1\n' }, 'feat: a');
    await w.sandbox.createTag(SOURCE, 'v1.0.0', s1, { message: 'v1.0.0' });
    const first = await holdNthRequest(w.sandbox, RECEIVE, nth, () =>
      w.start(['sync', '--config', w.configFile, '--pipeline', 'occ', '--json']),
    );
    first.child.kill('SIGKILL');
    expect((await first.done).signal).toBe('SIGKILL');

    const again = await w.sync();
    expect(again.code).toBe(0);
    expect(again.json[0]).toMatchObject({
      outcome: 'fast-forwarded',
      sourceSha: s1,
      targetSha: w.base,
      targetShaAfter: s1,
      tags: { pushed: ['v1.0.0'], conflicting: [] },
    });
    expect(await w.sandbox.branchSha(TARGET, 'main')).toBe(s1);
    expect(await w.sandbox.git(TARGET, ['rev-parse', 'refs/tags/v1.0.0'])).toBe(
      await w.sandbox.git(SOURCE, ['rev-parse', 'refs/tags/v1.0.0']),
    );
    const store = openStore(w.dataDir);
    const runs = store.db.prepare("SELECT outcome FROM mirror_runs WHERE pipeline = 'occ'").pluck().all();
    store.close();
    expect(runs).toEqual(['fast-forwarded']);

    // And a run after that has nothing left to do.
    expect((await w.sync()).json[0]).toMatchObject({ outcome: 'up-to-date', tags: { pushed: [], conflicting: [] } });
  });
});
