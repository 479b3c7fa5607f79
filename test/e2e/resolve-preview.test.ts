import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { resolveCommand } from '../../src/cli/resolve.js';
import { tempDir } from '../helpers/tmp.js';
import { FORK, resolveWorld } from './resolve-world.js';

// Issue 11 item 6: `resolve --dry-run` said "1 file would go to the LLM" with no ANTHROPIC_API_KEY,
// while the run handed that file to people. The preview now predicts exactly what the run does.

const scenario = {
  base: { 'litellm/utils.py': 'def retries():\n    return 1\n' },
  fork: { 'litellm/utils.py': 'def retries():\n    return 5  # CARTO\n' },
  upstream: { 'litellm/utils.py': 'def retries():\n    return 3\n' },
};

describe('resolve --dry-run predicts the run (issue 11 item 6)', () => {
  it('says the file goes to people when ANTHROPIC_API_KEY is not set, and the run agrees', async () => {
    const w = await resolveWorld(scenario, { jobKinds: ['sync'] });
    await w.sync();
    const pr = w.sandbox.pulls(FORK).at(-1)!;
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
    const base = { ...w.sandbox.env(), UPSTREAM_SYNC_DATA_DIR: join(dir, 'data'), LOG_LEVEL: 'silent' };
    const out: string[] = [];
    const io = { stdout: (l: string) => out.push(l), stderr: () => {} };
    const args = { config: file, pr: String(pr.number), json: true };

    // With a key, the same PR would go to the LLM: the difference is only the key.
    const withKey = { ...base, ...w.anthropic.env() };
    expect(await resolveCommand({ ...args, dryRun: true }, io, withKey)).toBe(0);
    expect(JSON.parse(out.pop()!)).toMatchObject({
      llm: [expect.objectContaining({ path: 'litellm/utils.py', hunks: 1 })],
      llmSkipped: null,
      message: expect.stringContaining('1 file would go to the LLM'),
    });

    const noKey = { ...base, ANTHROPIC_API_KEY: undefined };
    expect(await resolveCommand({ ...args, dryRun: true }, io, noKey)).toBe(0);
    const preview = JSON.parse(out.pop()!);
    expect(preview).toMatchObject({
      outcome: 'planned',
      llm: [],
      llmSkipped: 'ANTHROPIC_API_KEY is not set',
      waiting: [expect.objectContaining({ path: 'litellm/utils.py' })],
    });
    expect(preview.message).toContain('1 file would go to people, not the LLM (ANTHROPIC_API_KEY is not set)');
    expect(preview.message).not.toContain('would go to the LLM');

    expect(await resolveCommand(args, io, noKey)).toBe(0);
    const run = JSON.parse(out.pop()!);
    expect(run).toMatchObject({ outcome: 'waiting', waiting: [expect.objectContaining({ path: 'litellm/utils.py' })] });
    expect(run.waiting.map((h: { id: string }) => h.id)).toEqual(preview.waiting.map((h: { id: string }) => h.id));
    expect(w.anthropic.requests).toHaveLength(0);
  });
});
