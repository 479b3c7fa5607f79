import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import pino from 'pino';
import { GitExec } from '../adapters/git/git-exec.js';
import { compileRules } from '../core/resolve/path-rules.js';
import { GitUpstreamHistory, type GitRunner } from '../workflows/resolve/git-upstream-history.js';

// `upstream-sync bench corpus --repo DIR --production BRANCH --upstream REF-OR-TAG-PATTERN --out DIR`:
// a corpus in the fork-sync format (../shared/bench/fork-sync/README.md) from a fork's own past
// sync merges, so a team measures the resolver and its path rules on its history before trusting
// it. A sync merge is a merge reachable from production with one parent upstream holds (reachable
// from an upstream ref) and one it does not; it reached production directly, through a PR merged
// with a merge commit, or through a squash-merged PR (`refs/pull/N/head` whose tree a production
// commit reproduces). Each conflicted text file is re-merged (`git merge-tree`), and `final` is the
// file as it reached production where the PR changed it after the sync merge.

export interface CorpusBuildOptions {
  repo: string;
  production: string;
  upstream: string;
  out: string;
}

export interface CorpusBuildResult {
  syncs: Array<{ merge: string; upstreamParentIndex: 1 | 2; via: string; conflicted: number }>;
  cases: number;
}

const BUILD = compileRules([], true);
const STORE_VERSIONS = 30;
/** `git merge-file` exits with the number of conflicts (at most 127). */
const ANY_CONFLICT_COUNT = Array.from({ length: 128 }, (_, i) => i);

export async function buildCorpus(opts: CorpusBuildOptions): Promise<CorpusBuildResult | { error: string }> {
  const exec = new GitExec(pino({ level: 'silent' }));
  const run: GitRunner = (args, okCodes = [0]) => exec.run(args, { cwd: opts.repo, okCodes });
  const text = async (args: string[], ok = [0]) => (await run(args, ok)).stdout.toString('utf8');
  const lines = (s: string) => s.split('\n').filter(Boolean);

  const production = (await text(['rev-parse', '--verify', '--quiet', `${opts.production}^{commit}`], [0, 1])).trim();
  if (!production) return { error: `--production: no commit "${opts.production}" in ${opts.repo}` };
  const asRef = (await text(['rev-parse', '--verify', '--quiet', `${opts.upstream}^{commit}`], [0, 1])).trim();
  const upstreamTips = asRef
    ? [asRef]
    : lines(await text(['tag', '-l', opts.upstream, '--format=%(objectname)^{commit}']));
  const tips = asRef ? upstreamTips : lines(await text(['rev-parse', ...upstreamTips]));
  if (tips.length === 0) return { error: `--upstream: "${opts.upstream}" names no ref and matches no tag` };
  const upstreamSet = new Set(lines(await text(['rev-list', ...tips])));
  const isUpstream = (c: string) => upstreamSet.has(c);
  const lineOldestFirst = lines(await text(['rev-list', '--first-parent', '--reverse', production]));
  const firstParentLine = new Set(lineOldestFirst);

  // Where each sync branch reached production: production itself, or a squash-merged PR head.
  const heads: Array<{ tip: string; via: string; final: string }> = [{ tip: production, via: 'production', final: '' }];
  const trees = new Map<string, string>();
  for (const l of lines(await text(['log', '--first-parent', '--format=%H %T', production]))) {
    const [c = '', t = ''] = l.split(' ');
    trees.set(t, c);
  }
  for (const l of lines(await text(['for-each-ref', '--format=%(objectname) %(refname)', 'refs/pull/']))) {
    const [sha = '', ref = ''] = l.split(' ');
    if (!/^refs\/pull\/\d+\/head$/.test(ref)) continue;
    if ((await run(['merge-base', '--is-ancestor', sha, production], [0, 1])).code === 0) continue;
    const squash = trees.get((await text(['rev-parse', `${sha}^{tree}`])).trim());
    if (squash) heads.push({ tip: sha, via: `squash of ${ref} (${squash.slice(0, 10)})`, final: sha });
  }

  await rm(opts.out, { recursive: true, force: true });
  await mkdir(join(opts.out, 'blobs'), { recursive: true });
  const tmp = await mkdtemp(join(tmpdir(), 'bench-corpus-'));
  const result: CorpusBuildResult = { syncs: [], cases: 0 };
  const manifest: Array<Record<string, unknown>> = [];
  const seen = new Set<string>();
  try {
    for (const head of heads) {
      const range = head.via === 'production' ? [head.tip] : [head.tip, `^${production}`];
      for (const l of lines(await text(['rev-list', '--merges', '--parents', ...range]))) {
        const [merge = '', p1 = '', p2 = ''] = l.split(' ');
        if (seen.has(merge) || l.split(' ').length !== 3) continue;
        const up = isUpstream(p1) && !isUpstream(p2) ? 1 : isUpstream(p2) && !isUpstream(p1) ? 2 : 0;
        if (!up || isUpstream(merge)) continue;
        const [upstream, fork] = up === 1 ? [p1, p2] : [p2, p1];
        // The fork side must be production itself, not a topic branch merging upstream in.
        if (!firstParentLine.has(fork)) continue;
        seen.add(merge);
        const finalTip = head.final || (await reachedProductionAt(run, merge, lineOldestFirst));
        const n = await writeSync({ run, text, opts, tmp, merge, upstream, fork, up, finalTip, manifest });
        result.syncs.push({ merge, upstreamParentIndex: up, via: head.via, conflicted: n });
        result.cases += n;
      }
    }
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
  await writeFile(
    join(opts.out, 'manifest.json'),
    JSON.stringify(
      { production: opts.production, upstream: opts.upstream, syncs: result.syncs, cases: manifest },
      null,
      1,
    ),
  );
  return result;
}

/** The tree the sync reached production with: the PR head the first production commit holding it merged. */
async function reachedProductionAt(run: GitRunner, merge: string, line: readonly string[]): Promise<string> {
  const holds = async (c: string) => (await run(['merge-base', '--is-ancestor', merge, c], [0, 1])).code === 0;
  // Once production holds the merge it always does: binary search its first-parent line, oldest first.
  let lo = 0;
  let hi = line.length - 1;
  if (hi < 0 || !(await holds(line[hi] as string))) return merge;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (await holds(line[mid] as string)) hi = mid;
    else lo = mid + 1;
  }
  const first = line[lo] as string;
  if (first === merge) return merge;
  const parents = (await run(['rev-list', '--parents', '-n1', first])).stdout
    .toString('utf8')
    .trim()
    .split(' ')
    .slice(2);
  for (const p of parents) if (await holds(p)) return p;
  return first;
}

interface SyncInput {
  run: GitRunner;
  text: (a: string[], ok?: number[]) => Promise<string>;
  opts: CorpusBuildOptions;
  tmp: string;
  merge: string;
  upstream: string;
  fork: string;
  up: 1 | 2;
  finalTip: string;
  manifest: Array<Record<string, unknown>>;
}

async function writeSync(s: SyncInput): Promise<number> {
  const { run, text } = s;
  const mt = await run(['merge-tree', '--write-tree', '--name-only', '--no-messages', s.upstream, s.fork], [0, 1]);
  if (mt.code === 0) return 0;
  const paths = mt.stdout.toString('utf8').split('\n').slice(1).filter(Boolean);
  const base = (await text(['merge-base', s.upstream, s.fork])).trim();
  const blob = async (rev: string, path: string): Promise<Buffer | null> => {
    const r = await run(['cat-file', 'blob', `${rev}:${path}`], [0, 128]);
    return r.code === 0 ? r.stdout : null;
  };
  const blobId = async (rev: string, path: string) =>
    (await text(['rev-parse', '--verify', '--quiet', `${rev}:${path}`], [0, 1])).trim() || null;
  const history = new GitUpstreamHistory({ upstream: s.upstream, production: s.fork }, run);
  let n = 0;
  for (const path of [...new Set(paths)]) {
    const [b, u, f, landed, final] = await Promise.all([
      blob(base, path),
      blob(s.upstream, path),
      blob(s.fork, path),
      blob(s.merge, path),
      blob(s.finalTip, path),
    ]);
    if (!u || !f || [b, u, f].some((x) => x?.includes(0))) continue;
    n++;
    const ext = /\.([A-Za-z0-9]+)$/.exec(path)?.[1] ?? 'txt';
    const id = `${s.merge.slice(0, 10)}-${String(n).padStart(3, '0')}-${path.replace(/\//g, '__')}`;
    const dir = join(s.opts.out, id);
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, `base.${ext}`), b ?? '');
    await writeFile(join(dir, `upstream.${ext}`), u);
    await writeFile(join(dir, `fork.${ext}`), f);
    for (const [k, v] of [
      ['upstream', u],
      ['base', b ?? Buffer.alloc(0)],
      ['fork', f],
    ] as const)
      await writeFile(join(s.tmp, k), v);
    const cf = await run(
      [
        'merge-file',
        '-p',
        '--diff3',
        '-L',
        'upstream',
        '-L',
        'base',
        '-L',
        'fork',
        join(s.tmp, 'upstream'),
        join(s.tmp, 'base'),
        join(s.tmp, 'fork'),
      ],
      ANY_CONFLICT_COUNT,
    );
    await writeFile(join(dir, `conflicted.${ext}`), cf.stdout);
    if (landed) await writeFile(join(dir, `landed.${ext}`), landed);
    else await writeFile(join(dir, 'landed.deleted'), '');
    const finalDiffers = !(landed && final && landed.equals(final)) && !(landed === null && final === null);
    if (finalDiffers) {
      if (final) await writeFile(join(dir, `final.${ext}`), final);
      else await writeFile(join(dir, 'final.deleted'), '');
    }
    const h = await history.historyOf(path);
    for (const v of (h?.upstream ?? []).slice(0, STORE_VERSIONS))
      if (v.text !== null && v.blob) await writeFile(join(s.opts.out, 'blobs', `${v.blob}.gz`), gzipSync(v.text));
    const forkOwn = (h?.fork ?? []).some((c) => !c.upstreamCommit && !c.syncCommit);
    const buildOutput = BUILD.match(path) !== null;
    const meta = {
      id,
      path,
      ext,
      sync_merge: s.merge,
      upstream_parent: s.upstream,
      fork_parent: s.fork,
      upstream_parent_index: s.up,
      conflict_type: b ? 'content' : 'add/add',
      hunks: (cf.stdout.toString('utf8').match(/^<<<<<<< upstream$/gm) ?? []).length,
      merge_bases: [base],
      build_output: buildOutput,
      base_blob: await blobId(base, path),
      upstream_blob: await blobId(s.upstream, path),
      fork_blob: await blobId(s.fork, path),
      fork_history: (h?.fork ?? []).map((c) => ({
        commit: c.commit,
        upstream_commit: c.upstreamCommit,
        sync_commit: c.syncCommit,
        subject: c.subject,
      })),
      upstream_history: buildOutput
        ? null
        : (h?.upstream ?? []).map((v, i) => ({
            commit: v.commit,
            blob: v.blob,
            stored: i < STORE_VERSIONS && v.text !== null,
          })),
      // Answer keys: never read by the resolver (bench-corpus-read.ts allow-lists what it reads).
      fork_customized: forkOwn,
      landed_deleted: landed === null,
      final_commit: s.finalTip,
      final_present: finalDiffers,
    };
    await writeFile(join(dir, 'case.json'), JSON.stringify(meta, null, 1));
    s.manifest.push({
      id,
      path,
      ext,
      sync_merge: s.merge,
      build_output: buildOutput,
      fork_customized: forkOwn,
      final_present: finalDiffers,
    });
  }
  return n;
}
