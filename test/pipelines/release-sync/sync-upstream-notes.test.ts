import { describe, expect, it } from 'vitest';
import { FORK, UPSTREAM, pyproject, syncWorld } from './harness.js';

// Issue 11 item 11, through the real sync job: the PR body quotes the upstream release's notes
// (with its breaking section flagged) and names the fork-customised file the release touches.

describe('sync PR body with the upstream release notes', () => {
  it('carries the notes, the breaking flag and the customised files this release touches', async () => {
    const w = await syncWorld();
    await w.sandbox.pushCommit(FORK, {
      branch: 'carto/main',
      files: { 'litellm/proxy/auth.py': 'AUTH = "carto"\n', 'carto/only.py': 'x = 1\n' },
      message: 'feat: carto auth',
      as: 'carto-dev',
    });
    const sha = await w.sandbox.pushCommit(UPSTREAM, {
      branch: 'main',
      files: {
        'pyproject.toml': pyproject('1.81.0'),
        'litellm/proxy/auth.py': 'AUTH = "up"\n',
        'litellm/new.py': 'n\n',
      },
      message: 'release 1.81.0',
    });
    await w.sandbox.addRelease(UPSTREAM, {
      tag: 'v1.81.0-stable',
      target: sha,
      publishedAt: '2026-02-01T00:00:00Z',
      body: "## What's Changed\n- new auth\n## Breaking changes\n- `AUTH` is renamed\n",
    });
    const result = await w.sync();
    const body = w.sandbox.pull(FORK, result.pr!.number).body ?? '';
    expect(body).toContain('### 📝 Upstream release notes');
    expect(body).toContain('**Upstream flags breaking changes: Breaking changes**');
    expect(body).toContain('> - `AUTH` is renamed');
    expect(body).toContain('- `litellm/proxy/auth.py`');
    expect(body).not.toContain('carto/only.py');
    expect(body).not.toContain('- `litellm/new.py`');
    expect(body).toContain('/releases/tag/v1.81.0-stable');
    // The notes came with the releases list the sync reads anyway: no second read of the release.
    expect(w.sandbox.requests.filter((r) => r.path.includes('/releases/tags/'))).toEqual([]);
  });
});
