import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { cartoConfigInput, FORK, releaseWorld, seedCartoHistory, type ReleaseWorld } from '../jobs/release/release-world.js';

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
    execFile(process.execPath, ['--import', 'tsx', CLI, 'release', '--config', config, ...args], { env, cwd: ROOT }, (err, stdout, stderr) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
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
    expect(out).toMatchObject({ ok: true, pipeline: 'litellm', dryRun: true, outcome: 'planned', tag: TAG, plan: { previous: { tag: 'v1.81.3-carto.1.18.6' }, bump: 'minor' } });
    expect(out.plan.notes).toContain('### 🔄 Upstream sync');
    expect(world.sandbox.mutatingRequests().slice(before)).toEqual([]);
    expect(world.sandbox.releases(FORK).map((r) => r.tag)).not.toContain(TAG);
  });

  it('releases and exits 0; a second run has nothing to do', async () => {
    const world = await releaseWorld();
    await seedCartoHistory(world.sandbox, world.github);
    const run = await cli(world, ['--bump', 'auto', '--json']);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ ok: true, outcome: 'released', tag: TAG, release: { created: true }, dispatched: { workflow: 'carto-ghcr-deploy.yaml' } });
    expect(world.sandbox.releases(FORK).filter((r) => r.tag === TAG)).toHaveLength(1);
    expect(world.sandbox.dispatches).toHaveLength(1);

    const again = await cli(world, ['--bump', 'patch', '--json']);
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ ok: true, outcome: 'already-released', tag: TAG });
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
    world.sandbox.faults.inject({ method: 'POST', path: `/repos/${FORK}/actions/workflows/carto-ghcr-deploy.yaml/dispatches`, status: 404, body: { message: 'Not Found' }, times: 10 });
    const run = await cli(world, ['--bump', 'auto', '--json']);
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout)).toMatchObject({ ok: false, outcome: 'failed', error: { code: 'not_found' } });
    // The release itself exists; a retry of the job only dispatches.
    expect(world.sandbox.releases(FORK).filter((r) => r.tag === TAG)).toHaveLength(1);
  });
});
