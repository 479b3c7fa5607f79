import { describe, expect, it } from 'vitest';
import { FORK, publishRelease } from '../../pipelines/release-sync/harness.js';
import { cliWorld } from './cli-process.js';

// Issue 11 item 5: `skip --dry-run` printed "skipped" as if done, `skip garbage` exited 0, and the
// CLI left the tag's open sync PR open while Slack's skip closed it. One operation now: the CLI
// runs the skip job Slack runs.

describe('upstream-sync skip (issue 11 item 5)', () => {
  it('refuses a tag that does not match tagPattern or names no upstream release, with exit 2', async () => {
    const w = await cliWorld();
    await publishRelease(w.sandbox, '1.81.0');
    const garbage = await w.run(['skip', 'garbage', '--config', w.configFile]);
    expect(garbage.code).toBe(2);
    expect(garbage.stderr).toContain('does not match upstream.tagPattern');
    const missing = await w.run(['skip', 'v9.9.9-stable', '--config', w.configFile, '--json']);
    expect(missing.code).toBe(2);
    expect(missing.json[0]).toMatchObject({ ok: false, refused: { reason: 'no-release' } });
    expect(missing.stderr).toContain('BerriAI/litellm has no release v9.9.9-stable');
    const status = await w.run(['status', '--config', w.configFile, '--json']);
    expect(status.json[0]!.skipList).toEqual([]);
  });

  it('--dry-run says "would skip" and which PR it would close; the real skip closes it like Slack', async () => {
    const w = await cliWorld();
    await publishRelease(w.sandbox, '1.81.0', { 'a.py': 'a\n' });
    const synced = await w.run(['sync', '--config', w.configFile, '--json']);
    const pr = synced.json[0]!.pr as { number: number };

    const dry = await w.run(['skip', 'v1.81.0-stable', '--config', w.configFile, '--dry-run']);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toEqual([`litellm: would skip v1.81.0-stable and close sync PR #${pr.number}`]);
    expect(w.sandbox.pulls(FORK).find((p) => p.number === pr.number)?.state).toBe('open');

    const done = await w.run(['skip', 'v1.81.0-stable', '--config', w.configFile, '--reason', 'breaks OCI']);
    expect(done.code).toBe(0);
    expect(done.stdout).toEqual([`litellm: skipped v1.81.0-stable; closed sync PR #${pr.number}`]);
    expect(w.sandbox.pulls(FORK).find((p) => p.number === pr.number)?.state).toBe('closed');
    const comment = w.sandbox.comments(FORK, pr.number).at(-1)!.body;
    expect(comment).toMatch(/Release `v1.81.0-stable` was skipped by .+ \(CLI\); closing this sync PR/);
    const status = await w.run(['status', '--config', w.configFile, '--json']);
    expect(status.json[0]!.skipList).toEqual([expect.objectContaining({ tag: 'v1.81.0-stable', prNumber: pr.number })]);
  });
});
