import { describe, expect, it } from 'vitest';
import { repoOfApiPath, repoOfUrl } from '../../../src/adapters/github/github-credentials.js';

// Which repository a request is for decides which App installation's token it gets.

describe('the repository of a request', () => {
  it.each([
    ['https://github.com/CartoDB/litellm.git', 'CartoDB/litellm'],
    ['http://127.0.0.1:4567/OtherOrg/proxy.git', 'OtherOrg/proxy'],
    ['https://ghe.example.com/team/repo', 'team/repo'],
    ['not a url', undefined],
  ])('clone URL %s → %s', (url, repo) => expect(repoOfUrl(url)).toBe(repo));

  it.each([
    ['/repos/CartoDB/litellm/pulls', 'CartoDB/litellm'],
    ['/repos/CartoDB/litellm', 'CartoDB/litellm'],
    ['/api/v3/repos/team/repo/git/refs/heads/main', 'team/repo'],
    ['https://api.github.com/repos/a/b/collaborators/x/permission', 'a/b'],
    ['/repos/{owner}/{repo}/pulls', undefined],
    ['/orgs/CartoDB/members', undefined],
    ['/rate_limit', undefined],
  ])('API path %s → %s', (path, repo) => expect(repoOfApiPath(path)).toBe(repo));
});
