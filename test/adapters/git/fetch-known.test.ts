import { describe, expect, it } from 'vitest';
import { gitWorld } from './fixtures.js';

// `known` on fetch: the refs the API just reported. When the cache already holds every one of
// them, no git request is made at all; anything else (a moved branch, a new tag, a tag gone
// upstream, a ref the cache never had) fetches as before.

describe('fetch with the refs the API reported', () => {
  it('skips the fetch when the cache holds them, and fetches when a branch moved', async () => {
    const w = await gitWorld();
    const spec = ['+refs/heads/main:refs/fork/heads/main'];
    await w.git.fetch(w.remotes.fork, spec);
    const main = (await w.git.resolve('company/project', 'refs/fork/heads/main'))!;
    expect(w.git.fetches).toEqual({ made: 1, skipped: 0 });

    await w.git.fetch(w.remotes.fork, spec, { known: { 'refs/heads/main': main } });
    expect(w.git.fetches).toEqual({ made: 1, skipped: 1 });

    // The API reports a head the cache does not hold: fetched, and the cache follows.
    await w.fork.checkout('main');
    await w.fork.commit({ 'new.txt': 'n\n' }, 'moved');
    await w.fork.push(w.forkBare, ['refs/heads/main:refs/heads/main']);
    const moved = await w.fork.head();
    await w.git.fetch(w.remotes.fork, spec, { known: { 'refs/heads/main': moved } });
    expect(w.git.fetches).toEqual({ made: 2, skipped: 1 });
    expect(await w.git.resolve('company/project', 'refs/fork/heads/main')).toBe(moved);

    // A source the API did not report (absent from `known`): never assumed, fetched.
    await w.git.fetch(w.remotes.fork, spec, { known: {} });
    expect(w.git.fetches.made).toBe(3);
  });

  it('a tag glob is held only when the cache has exactly the tags listed (a prune would remove nothing)', async () => {
    const w = await gitWorld();
    const spec = ['+refs/tags/*:refs/mirror/tags/*'];
    await w.git.fetch(w.remotes.upstream, spec, { into: 'company/project', prune: true });
    const tagObject = (await w.upstream.git(['rev-parse', 'refs/tags/v1.0.0-stable'])).trim();
    const listed = { 'refs/tags/v1.0.0-stable': tagObject };
    await w.git.fetch(w.remotes.upstream, spec, { into: 'company/project', prune: true, known: listed });
    expect(w.git.fetches).toEqual({ made: 1, skipped: 1 });

    // A new tag upstream: fetched.
    await w.upstream.tag('v1.1.0-stable', { message: 'release 1.1.0' });
    const newer = (await w.upstream.git(['rev-parse', 'refs/tags/v1.1.0-stable'])).trim();
    await w.git.fetch(w.remotes.upstream, spec, {
      into: 'company/project',
      prune: true,
      known: { ...listed, 'refs/tags/v1.1.0-stable': newer },
    });
    expect(w.git.fetches.made).toBe(2);

    // The API no longer lists a tag the cache holds: fetched (and pruned), never skipped.
    await w.git.fetch(w.remotes.upstream, spec, { into: 'company/project', prune: true, known: listed });
    expect(w.git.fetches.made).toBe(3);
  });
});
