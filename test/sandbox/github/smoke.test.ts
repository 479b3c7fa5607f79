import { describe, expect, it } from 'vitest';
import { seedLitellm, startGitHub } from './fixture.js';

describe('smoke', () => {
  it('serves a repo', async () => {
    const { sandbox, github } = await startGitHub();
    await seedLitellm(sandbox);
    const info = await github.getRepo('CartoDB/litellm');
    expect(info).toMatchObject({ fullName: 'CartoDB/litellm', fork: true, parent: 'BerriAI/litellm', defaultBranch: 'main' });
    const releases = await github.listReleases('BerriAI/litellm');
    expect(releases.map((r) => r.tag)).toEqual(['v1.81.0-stable', 'v1.80.0-stable']);
    expect(await github.getFileText('BerriAI/litellm', 'pyproject.toml', 'v1.80.0-stable')).toBe('version = "1.80.0"\n');
    sandbox.assertNoUnexpectedRequests();
  });
});
