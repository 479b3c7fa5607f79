import { createServer } from 'node:http';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ScratchRepo, runGit } from '../../../src/sandbox/scratch-repo.js';
import { tempDir } from '../../helpers/tmp.js';
import { startGitHub } from './fixture.js';

async function seeded() {
  const { sandbox, github } = await startGitHub();
  await sandbox.createRepo('CartoDB/litellm');
  const first = await sandbox.pushCommit('CartoDB/litellm', {
    branch: 'main',
    files: { 'a.txt': 'one\n' },
    message: 'first',
  });
  return { sandbox, github, first };
}

describe('git over smart HTTP', () => {
  it('clones and pushes with the token, and the REST API sees the push', async () => {
    const { sandbox, github, first } = await seeded();
    const dir = join(await tempDir(), 'clone');
    const clone = await ScratchRepo.clone(sandbox.authenticatedCloneUrl('CartoDB/litellm'), dir);
    expect(await clone.head()).toBe(first);

    await clone.checkout('upstream-sync/v1.81.0-stable', { create: true });
    const pushed = await clone.commit({ 'b.txt': 'two\n' }, 'second');
    await clone.push('origin', ['upstream-sync/v1.81.0-stable']);

    expect(await github.getBranchSha('CartoDB/litellm', 'upstream-sync/v1.81.0-stable')).toBe(pushed);
    expect(await github.getFileText('CartoDB/litellm', 'b.txt', 'upstream-sync/v1.81.0-stable')).toBe('two\n');
    const kinds = sandbox.requests.map((r) => r.kind);
    expect(kinds).toContain('git-fetch');
    expect(kinds).toContain('git-push');
    // Fetches change nothing; the push is the one mutating git request.
    const mutating = sandbox.mutatingRequests();
    expect(mutating.some((r) => r.method === 'POST' && r.path.endsWith('/git-receive-pack'))).toBe(true);
    expect(mutating.every((r) => r.kind === 'git-push')).toBe(true);
    sandbox.assertNoUnexpectedRequests();
  });

  it('accepts the token as an Authorization extra header (how the git adapter passes it)', async () => {
    const { sandbox, first } = await seeded();
    const dir = join(await tempDir(), 'clone');
    const basic = Buffer.from(`x-access-token:${sandbox.token}`).toString('base64');
    const cloneUrl = `${sandbox.url}/CartoDB/litellm.git`;
    await runGit(await tempDir(), [
      '-c',
      `http.extraHeader=Authorization: Basic ${basic}`,
      'clone',
      '--quiet',
      '--bare',
      cloneUrl,
      dir,
    ]);
    expect((await runGit(dir, ['rev-parse', 'main'])).trim()).toBe(first);
  });

  it('accepts a Bearer extra header too', async () => {
    const { sandbox, first } = await seeded();
    const dir = join(await tempDir(), 'clone');
    await runGit(await tempDir(), [
      '-c',
      `http.extraHeader=Authorization: Bearer ${sandbox.token}`,
      'clone',
      '--quiet',
      '--bare',
      `${sandbox.url}/CartoDB/litellm.git`,
      dir,
    ]);
    expect((await runGit(dir, ['rev-parse', 'main'])).trim()).toBe(first);
  });

  it('refuses a clone without a token or with a wrong one', async () => {
    const { sandbox } = await seeded();
    const parent = await tempDir();
    const plain = `${sandbox.url}/CartoDB/litellm.git`;
    await expect(runGit(parent, ['clone', '--quiet', plain, 'anon'])).rejects.toThrow(
      /could not read Username|Authentication failed|401/,
    );
    await expect(
      runGit(parent, [
        'clone',
        '--quiet',
        sandbox.authenticatedCloneUrl('CartoDB/litellm', 'ghs_wrongwrongwrongwrongwrong'),
        'wrong',
      ]),
    ).rejects.toThrow(/Authentication failed|401/);
    expect(sandbox.requests.filter((r) => r.kind === 'git-fetch').every((r) => r.status === 401)).toBe(true);
  });

  it('refuses a force push and a branch deletion, leaving the branch where it was', async () => {
    const { sandbox, first } = await seeded();
    const clone = await ScratchRepo.clone(
      sandbox.authenticatedCloneUrl('CartoDB/litellm'),
      join(await tempDir(), 'clone'),
    );
    await clone.git(['commit', '--quiet', '--amend', '-m', 'rewritten']);
    await expect(clone.push('origin', ['--force', 'main'])).rejects.toThrow(/non-fast-forward|rejected|denied/);
    await expect(clone.push('origin', ['--delete', 'main'])).rejects.toThrow(/deletion prohibited|rejected|denied/);
    expect(await sandbox.branchSha('CartoDB/litellm', 'main')).toBe(first);
  });

  it('emits a push webhook and synchronize for an open pull request when its head is pushed', async () => {
    const { sandbox, github, first } = await seeded();
    const received: { event: string; action: unknown }[] = [];
    const receiver = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        received.push({
          event: String(req.headers['x-github-event']),
          action: (JSON.parse(body) as { action?: unknown }).action,
        });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    try {
      const port = (receiver.address() as { port: number }).port;
      sandbox.configureWebhook({ url: `http://127.0.0.1:${port}/`, secret: 'shh-secret' });
      await sandbox.createBranch('CartoDB/litellm', 'feature', first);
      await sandbox.pushCommit('CartoDB/litellm', { branch: 'feature', files: { 'c.txt': 'x\n' }, message: 'c' });
      const pr = await github.createPull('CartoDB/litellm', { title: 't', head: 'feature', base: 'main', body: '' });
      const clone = await ScratchRepo.clone(
        sandbox.authenticatedCloneUrl('CartoDB/litellm'),
        join(await tempDir(), 'clone'),
      );
      await clone.checkout('feature');
      const next = await clone.commit({ 'd.txt': 'y\n' }, 'd');
      await clone.push('origin', ['feature']);
      await sandbox.webhooksSettled();
      expect(received).toEqual(
        expect.arrayContaining([
          { event: 'pull_request', action: 'opened' },
          { event: 'push', action: undefined },
          { event: 'pull_request', action: 'synchronize' },
        ]),
      );
      expect((await github.getPull('CartoDB/litellm', pr.number)).headSha).toBe(next);
    } finally {
      await new Promise((r) => receiver.close(r));
    }
  });
});
