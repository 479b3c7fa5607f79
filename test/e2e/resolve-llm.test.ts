import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { resolveCommand } from '../../src/cli/resolve.js';
import { DECISION_LOG_MARKER } from '../../src/core/resolve/decision-log.js';
import { tempDir } from '../helpers/tmp.js';
import { FORK, resolveWorld, type Scenario } from './resolve-world.js';

// The LLM layer when the model misbehaves or is away: answers are bounded per PR head, outages
// end with the hunks waiting for a person (never a failed job), and the CLI runs the same job.

const scenario: Scenario = {
  base: { 'litellm/utils.py': 'def retries():\n    return 1\n' },
  fork: { 'litellm/utils.py': 'def retries():\n    return 5  # CARTO\n' },
  upstream: { 'litellm/utils.py': 'def retries():\n    return 3\n' },
};

describe('resolver and the LLM', () => {
  it('hands the hunks to a person when the LLM stays overloaded, and the job still succeeds', async () => {
    const w = await resolveWorld(scenario);
    w.anthropic.overloaded({ times: 2, retryAfterSeconds: 0 });
    await w.sync();
    const r = await w.latestResolve();
    expect(r).toMatchObject({
      outcome: 'waiting',
      waiting: [
        expect.objectContaining({
          path: 'litellm/utils.py',
          upstream: '    return 3\n',
          fork: '    return 5  # CARTO\n',
        }),
      ],
    });
    expect(w.anthropic.requests.map((x) => x.status)).toEqual([529, 529]);
    const pr = w.sandbox.pulls(FORK).at(-1)!;
    expect(w.sandbox.comments(FORK, pr.number).find((c) => c.body.startsWith(DECISION_LOG_MARKER))?.body).toMatch(
      /LLM was unavailable/,
    );
  });

  it('asks at most maxAttempts times per PR head, and not at all once the limit is reached', async () => {
    const w = await resolveWorld(scenario, { pipeline: { resolution: { maxAttempts: 2 } } });
    w.anthropic.replyToolUse(
      { resolutions: [{ hunk: 0, resolved: '    return 4\n', rationale: 'unsure', confidence: 0.2 }] },
      { times: 5 },
    );
    await w.sync();
    expect((await w.latestResolve()).outcome).toBe('waiting');
    expect(w.anthropic.requests).toHaveLength(1);
    // The low-confidence answer was refused and recorded: the same head is not asked again.
    await w.runResolve();
    expect(w.anthropic.requests).toHaveLength(1);
    const pr = w.sandbox.pulls(FORK).at(-1)!;
    const head = (await w.sandbox.branchSha(FORK, pr.headRef))!;
    expect(w.services.resolver.attempts(FORK, pr.number, head)).toBe(1);
    expect(w.services.resolver.decisions(FORK, pr.number, head)[0]).toMatchObject({
      layer: null,
      by: 'claude-test',
      rationale: expect.stringMatching(/confidence 0.20 is below 0.8/),
    });
  });

  it('runs from the CLI: --dry-run plans and changes nothing, the real run resolves and pushes', async () => {
    const w = await resolveWorld(
      {
        base: { 'litellm/constants.py': 'PROVIDERS = [\n    "openai",\n]\n' },
        fork: { 'litellm/constants.py': 'PROVIDERS = [\n    "openai",\n    "carto",\n]\n' },
        upstream: { 'litellm/constants.py': 'PROVIDERS = [\n    "openai",\n    "heroku",\n]\n' },
      },
      { jobKinds: ['sync'] },
    );
    await w.sync();
    const pr = w.sandbox.pulls(FORK).at(-1)!;
    const head = await w.sandbox.branchSha(FORK, pr.headRef);
    const dir = await tempDir();
    const file = join(dir, 'upstream-sync.yml');
    const pipeline = {
      id: 'litellm',
      upstream: { repo: 'BerriAI/litellm', tagPattern: '^v(?<version>\\d+\\.\\d+\\.\\d+)-stable$' },
      fork: { repo: FORK, productionBranch: 'carto/main' },
      version: { file: 'pyproject.toml', key: 'tool.poetry.version' },
    };
    await writeFile(
      file,
      stringify({ git: { author: { name: 'Cartofante', email: 'cartofante@carto.com' } }, pipelines: [pipeline] }),
    );
    const env = {
      ...w.sandbox.env(),
      ...w.anthropic.env(),
      UPSTREAM_SYNC_DATA_DIR: join(dir, 'data'),
      LOG_LEVEL: 'silent',
    };
    const out: string[] = [];
    const io = { stdout: (l: string) => out.push(l), stderr: () => {} };

    expect(await resolveCommand({ config: file, pr: String(pr.number), dryRun: true, json: true }, io, env)).toBe(0);
    expect(JSON.parse(out.pop()!)).toMatchObject({
      dryRun: true,
      outcome: 'planned',
      records: [expect.objectContaining({ path: 'litellm/constants.py', layer: 'structure', by: 'list-union' })],
      waiting: [],
      llm: [],
    });
    expect(await w.sandbox.branchSha(FORK, pr.headRef)).toBe(head);
    expect(w.sandbox.comments(FORK, pr.number).filter((c) => c.body.startsWith(DECISION_LOG_MARKER))).toEqual([]);

    expect(await resolveCommand({ config: file, pr: String(pr.number), json: true }, io, env)).toBe(0);
    const done = JSON.parse(out.pop()!);
    expect(done).toMatchObject({ ok: true, outcome: 'resolved', mergeable: true });
    expect(await w.sandbox.branchSha(FORK, pr.headRef)).toBe(done.commit);

    expect(await resolveCommand({ config: file, pr: '999', json: true }, io, env)).toBe(1);
    expect(JSON.parse(out.pop()!)).toMatchObject({
      outcome: 'refused',
      message: expect.stringContaining('does not exist'),
    });
    expect(await resolveCommand({ config: file, pr: 'x' }, io, env)).toBe(2);
    expect(w.anthropic.requests).toHaveLength(0);
  });
});
