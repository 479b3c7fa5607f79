import { describe, expect, it } from 'vitest';
import { MIRROR_CONFIG, SOURCE, TARGET, mirrorWorld, sourceCommit } from './mirror-world.js';

const SECOND = 'cogpy2/occ';
const TWO = `${MIRROR_CONFIG}
  - id: occ2
    kind: mirror
    source: { repo: ${SOURCE}, branch: main }
    target: { repo: ${SECOND}, branch: main }
    tags: 'v*'
`;

describe('two mirrors of one source share its git cache', { timeout: 240_000 }, () => {
  it('one sync of both: the source is fetched once, both targets fast-forwarded with the tag', async () => {
    const w = await mirrorWorld({ config: TWO });
    await w.sandbox.createRepo(SECOND, { forkOf: SOURCE });
    await w.sandbox.git(SECOND, ['update-ref', 'refs/heads/main', w.base]);
    const s1 = await sourceCommit(w.sandbox, { 'a.c': '1\n' }, 'feat: a');
    await w.sandbox.createTag(SOURCE, 'v1.0.0', s1, { message: 'v1.0.0' });

    const run = await w.run(['sync', '--config', w.configFile, '--json']);
    expect(run.code).toBe(0);
    expect(run.json.map((r) => [r.pipeline, r.outcome, r.tags])).toEqual([
      ['occ', 'fast-forwarded', { pushed: ['v1.0.0'], conflicting: [] }],
      ['occ2', 'fast-forwarded', { pushed: ['v1.0.0'], conflicting: [] }],
    ]);
    expect(await w.sandbox.branchSha(TARGET, 'main')).toBe(s1);
    expect(await w.sandbox.branchSha(SECOND, 'main')).toBe(s1);
    // One git fetch = one ref advertisement (then its protocol-v2 POSTs).
    const sourceFetches = w.sandbox.requests.filter(
      (r) => r.method === 'GET' && r.path.startsWith(`/${SOURCE}.git/info/refs`),
    );
    expect(sourceFetches).toHaveLength(1);
  });
});
