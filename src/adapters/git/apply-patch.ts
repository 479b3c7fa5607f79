import { randomUUID } from 'node:crypto';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { PatchApplyResult } from '../../ports.js';
import type { GitExec } from './git-exec.js';

// A patch applied to a commit's tree with a private index (`git apply --cached`): nothing is
// checked out, so no script or hook of the patched repository can run, and the cache's own index
// is not touched. `--check` first so a patch that does not apply says why and writes nothing.
export async function applyPatchToTree(
  exec: GitExec,
  cacheDir: string,
  tmpDir: string,
  base: string,
  patch: string,
): Promise<PatchApplyResult> {
  await mkdir(tmpDir, { recursive: true });
  const indexFile = join(tmpDir, `apply-${randomUUID()}`);
  const env = { GIT_INDEX_FILE: indexFile };
  const input = patch.endsWith('\n') ? patch : `${patch}\n`;
  try {
    await exec.run(['read-tree', `${base}^{tree}`], { cwd: cacheDir, env });
    // No --unsafe-paths, no --directory: paths stay inside the repository.
    const args = ['apply', '--cached', '--whitespace=nowarn', '--recount'];
    const check = await exec.run([...args, '--check', '-'], { cwd: cacheDir, env, input, okCodes: [0, 1, 128] });
    if (check.code !== 0) {
      const reason = check.stderr.trim().split('\n').slice(0, 3).join(' | ') || `git apply exited ${check.code}`;
      return { ok: false, reason };
    }
    await exec.run([...args, '-'], { cwd: cacheDir, env, input });
    const tree = (await exec.run(['write-tree'], { cwd: cacheDir, env })).stdout.toString('utf8').trim();
    return { ok: true, tree };
  } finally {
    await rm(indexFile, { force: true });
  }
}
