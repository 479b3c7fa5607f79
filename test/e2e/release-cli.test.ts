import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { openStore } from '../../src/adapters/store/open-store.js';
import { JobRunner } from '../../src/jobs/runner.js';
import { silentLogger } from '../../src/log.js';
import {
  cartoConfigInput,
  FORK,
  releaseWorld,
  seedCartoHistory,
  type ReleaseWorld,
} from '../workflows/release/release-world.js';
import { releaseJobInput } from '../../src/jobs/job-kinds.js';

// The real `upstream-sync release` process against the GitHub stand-in: exit codes, one JSON
// object on stdout, and a dry run that changes nothing.

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CLI = `${ROOT}src/cli.ts`;
const TAG = 'v1.81.9-carto.1.19.0';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

async function cli(world: ReleaseWorld, args: string[]): Promise<Run> {
  const config = `${world.dir}/upstream-sync.yml`;
  await writeFile(config, JSON.stringify(cartoConfigInput()));
  const env = {
    PATH: process.env.PATH ?? '',
    HOME: world.dir,
    GITHUB_TOKEN: world.sandbox.token,
    GITHUB_API_URL: world.sandbox.url,
    UPSTREAM_SYNC_DATA_DIR: `${world.dir}/cli-data`,
    LOG_LEVEL: 'warn',
  };
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', CLI, 'release', '--config', config, ...args],
      { env, cwd: ROOT },
      (err, stdout, stderr) => {
        resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
      },
    );
  });
}

describe('upstream-sync release', () => {
  it('--dry-run --json: the tag and notes, one JSON object, nothing changed', async () => {
    const world = await releaseWorld();
    await seedCartoHistory(world.sandbox, world.github);
    const before = world.sandbox.mutatingRequests().length;
    const run = await cli(world, ['--bump', 'auto', '--dry-run', '--json']);
    expect(run.code).toBe(0);
    const lines = run.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    const out = JSON.parse(lines[0]!);
    expect(out).toMatchObject({
      ok: true,
      pipeline: 'litellm',
      dryRun: true,
      outcome: 'planned',
      tag: TAG,
      plan: { previous: { tag: 'v1.81.3-carto.1.18.6' }, bump: 'minor' },
    });
    expect(out.plan.notes).toContain('### 🔄 Upstream sync');
    expect(world.sandbox.mutatingRequests().slice(before)).toEqual([]);
    expect(world.sandbox.releases(FORK).map((r) => r.tag)).not.toContain(TAG);
  });

  it('releases and exits 0; a second run has nothing to do', async () => {
    const world = await releaseWorld();
    await seedCartoHistory(world.sandbox, world.github);
    const run = await cli(world, ['--bump', 'auto', '--json']);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({
      ok: true,
      outcome: 'released',
      tag: TAG,
      release: { created: true },
      dispatched: { workflow: 'carto-ghcr-deploy.yaml' },
    });
    expect(world.sandbox.releases(FORK).filter((r) => r.tag === TAG)).toHaveLength(1);
    expect(world.sandbox.dispatches).toHaveLength(1);

    const again = await cli(world, ['--bump', 'patch', '--json']);
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ ok: true, outcome: 'already-released', tag: TAG });
  });

  it('--commit releases a chosen commit of production, abbreviated or not; --notes-file ships the notes as written', async () => {
    const world = await releaseWorld();
    const history = await seedCartoHistory(world.sandbox, world.github);
    const chosen = world.sandbox.pull(FORK, history.featurePr).mergeCommitSha!;
    const notesFile = `${world.dir}/notes.md`;
    const notes = '## OCI tool calls\n\nWritten by a person, shipped as written.\n';
    await writeFile(notesFile, notes);

    const dry = await cli(world, [
      '--bump',
      'patch',
      '--commit',
      chosen.slice(0, 9),
      '--notes-file',
      notesFile,
      '--dry-run',
      '--json',
    ]);
    expect(dry.code).toBe(0);
    expect(JSON.parse(dry.stdout)).toMatchObject({
      ok: true,
      outcome: 'planned',
      tag: 'v1.81.3-carto.1.18.7',
      notesSource: 'manual',
      plan: { sha: chosen, upstream: '1.81.3', notes },
    });

    const run = await cli(world, ['--bump', 'patch', '--commit', chosen, '--notes-file', notesFile, '--json']);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({
      ok: true,
      outcome: 'released',
      tag: 'v1.81.3-carto.1.18.7',
      sha: chosen,
      notesSource: 'manual',
    });
    expect((await world.sandbox.git(FORK, ['rev-parse', 'v1.81.3-carto.1.18.7^{commit}'])).trim()).toBe(chosen);
    expect(world.sandbox.releases(FORK).find((r) => r.tag === 'v1.81.3-carto.1.18.7')?.body).toBe(notes);
    // The production head is still unreleased and is what a release without --commit takes.
    const head = await cli(world, ['--bump', 'auto', '--dry-run', '--json']);
    expect(JSON.parse(head.stdout)).toMatchObject({
      notesSource: 'generated',
      plan: { sha: history.head, previous: { tag: 'v1.81.3-carto.1.18.7' } },
    });
  });

  it('refuses, with exit 2 and nothing released, a commit that is not on production and an empty or missing notes file', async () => {
    const world = await releaseWorld();
    const history = await seedCartoHistory(world.sandbox, world.github);
    const unmerged = await world.sandbox.pushCommit(FORK, {
      branch: 'feature/unmerged',
      from: history.head,
      files: { 'x.py': 'x\n' },
      message: 'feat: not merged yet',
    });
    await writeFile(`${world.dir}/empty.md`, ' \n\n');
    const releasesBefore = world.sandbox.releases(FORK).length;
    const cases: Array<[string[], RegExp, 'json' | 'stderr']> = [
      [['--commit', unmerged, '--dry-run'], /is not a commit on carto\/main/, 'json'],
      // Without --dry-run the job finds it, once it has fetched production.
      [['--commit', unmerged], /is not a commit on carto\/main/, 'json'],
      [['--commit', 'carto/main~1'], /--commit takes a commit sha/, 'stderr'],
      [['--notes-file', `${world.dir}/empty.md`], /empty\.md is empty/, 'stderr'],
      [['--notes-file', `${world.dir}/missing.md`], /cannot read the notes file .*missing\.md: ENOENT/, 'stderr'],
    ];
    for (const [args, problem, where] of cases) {
      const run = await cli(world, ['--bump', 'patch', '--json', ...args]);
      expect(run.code, args.join(' ')).toBe(2);
      if (where === 'json')
        expect(JSON.parse(run.stdout)).toMatchObject({
          ok: false,
          outcome: 'failed',
          error: { code: 'usage', message: expect.stringMatching(problem) },
        });
      else expect([run.stdout, run.stderr]).toEqual(['', expect.stringMatching(problem)]);
    }
    expect(world.sandbox.releases(FORK)).toHaveLength(releasesBefore);
    expect((await world.sandbox.git(FORK, ['tag', '--list', 'v1.81.9-carto.*'])).trim()).toBe('');
  });

  it('does not pass off another queued release with other settings as its own', async () => {
    const world = await releaseWorld();
    await seedCartoHistory(world.sandbox, world.github);
    const other = openStore(`${world.dir}/cli-data`);
    const { job } = await new JobRunner({ store: other.jobs, log: silentLogger() }).enqueue(
      releaseJobInput({ pipeline: 'litellm', bump: 'auto' }, { kind: 'slack', id: 'U0RELEASER' }),
    );
    other.close();
    const before = world.sandbox.mutatingRequests().length;
    const run = await cli(world, ['--bump', 'major', '--json']);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({
      ok: false,
      outcome: 'refused',
      jobId: job.id,
      message: expect.stringContaining('already queued'),
    });
    expect(world.sandbox.mutatingRequests().slice(before)).toEqual([]);
  });

  it.each([
    [['--bump', 'huge'], 'invalid bump'],
    [[], 'missing --bump'],
    [['--bump', 'patch', '--pipeline', 'nope'], 'unknown pipeline'],
  ])('exits 2 on %j (%s)', async (args) => {
    const world = await releaseWorld();
    const run = await cli(world, args);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
  });

  it('exits 1 when the release fails', async () => {
    const world = await releaseWorld();
    await seedCartoHistory(world.sandbox, world.github);
    world.sandbox.faults.inject({
      method: 'POST',
      path: `/repos/${FORK}/actions/workflows/carto-ghcr-deploy.yaml/dispatches`,
      status: 404,
      body: { message: 'Not Found' },
      times: 10,
    });
    const run = await cli(world, ['--bump', 'auto', '--json']);
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout)).toMatchObject({ ok: false, outcome: 'failed', error: { code: 'not_found' } });
    // The release itself exists; a retry of the job only dispatches.
    expect(world.sandbox.releases(FORK).filter((r) => r.tag === TAG)).toHaveLength(1);
  });
});
