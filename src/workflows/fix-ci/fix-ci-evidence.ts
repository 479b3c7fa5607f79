import type { CiFixerConfig } from '../../config/ci-fixer-schema.js';
import { failureScope, type FailureScope } from '../../core/ci-fix/failure-scope.js';
import { significantLines } from '../../core/ci-fix/patch-check.js';
import { trimLog } from '../../core/ci-fix/trim-log.js';
import type { GitHubPort, GitPort, ResolverLog } from '../../ports.js';
import type { CiGitHubPort } from '../../ports/ci-github.js';
import type { LedgerRecords } from '../../ports/ledger-records.js';

// What the fixer knows about a red sync PR: the failing checks with their (trimmed) output, the
// files the sync changed, whether the same checks fail on the production branch, and, for the
// LLM, the regions of the changed files the logs point at and the sync's decision log.

export interface CheckEvidence {
  name: string;
  url: string | null;
  /** Trimmed job log (GitHub Actions) or the check's output. */
  text: string;
  logBytes: number;
}

export interface CiEvidence {
  pr: number;
  headSha: string;
  headRef: string;
  baseRef: string;
  checks: CheckEvidence[];
  changedFiles: string[];
  failingOnProduction: string[];
  scope: FailureScope;
}

export interface FileRegion {
  path: string;
  from: number;
  to: number;
  text: string;
}

export async function gatherEvidence(
  deps: { github: GitHubPort; ci: CiGitHubPort },
  fixer: Pick<CiFixerConfig, 'maxLogBytes'>,
  input: { repo: string; pr: number; headSha: string; headRef: string; baseRef: string; required?: string[] },
): Promise<CiEvidence> {
  const { repo, headSha } = input;
  const required = input.required ?? [];
  // The byte bound is for all logs together: each failing check gets its share (a red build with
  // dozens of failing jobs sends the first MAX_CHECKS, each still readable).
  const failed = (await deps.ci.failedChecks(repo, headSha))
    .filter((f) => required.length === 0 || required.includes(f.name))
    .slice(0, MAX_CHECKS);
  const share = Math.floor(fixer.maxLogBytes / Math.max(1, failed.length));
  const checks: CheckEvidence[] = [];
  for (const f of failed) {
    const log = f.jobId !== null ? await deps.ci.jobLog(repo, f.jobId) : null;
    const raw = [f.output, log ?? ''].filter(Boolean).join('\n');
    checks.push({ name: f.name, url: f.url, text: trimLog(raw, share).text, logBytes: Buffer.byteLength(raw) });
  }
  const changedFiles = (await deps.github.listPullFiles(repo, input.pr)).map((f) => f.path);
  const productionHead = await deps.github.getBranchSha(repo, input.baseRef);
  const failingOnProduction = productionHead
    ? (await deps.ci.failedChecks(repo, productionHead)).map((f) => f.name)
    : [];
  const scope = failureScope({ failing: checks, changedFiles, failingOnProduction });
  return { ...input, checks, changedFiles, failingOnProduction, scope };
}

const MAX_CHECKS = 8;
const AROUND = 30;
const MAX_REGION_BYTES = 48_000;

/** The regions of changed files the logs point at (`path:line`), else the files' heads; bounded. */
export async function fileRegions(git: GitPort, cache: string, e: CiEvidence): Promise<FileRegion[]> {
  const logs = e.checks.map((c) => c.text).join('\n');
  const mentioned = e.changedFiles.filter((p) => logs.includes(p) || logs.includes(p.split('/').pop()!));
  const paths = (mentioned.length ? mentioned : e.changedFiles).slice(0, 8);
  const out: FileRegion[] = [];
  let used = 0;
  for (const path of paths) {
    const blob = await git.readFile(cache, e.headSha, path);
    if (!blob || blob.includes(0)) continue;
    const lines = blob.toString('utf8').split('\n');
    const name = path
      .split('/')
      .pop()!
      .replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const hits = [...logs.matchAll(new RegExp(`${name}[:(](\\d+)`, 'g'))].map((m) => Number(m[1]));
    const ranges = hits.length
      ? hits.map((l) => [Math.max(1, l - AROUND), Math.min(lines.length, l + AROUND)])
      : [[1, Math.min(lines.length, 200)]];
    for (const [from, to] of ranges as [number, number][]) {
      const text = lines.slice(from - 1, to).join('\n');
      if (used + text.length > MAX_REGION_BYTES) return out;
      used += text.length;
      out.push({ path, from, to, text });
    }
  }
  return out;
}

/**
 * Fork lines the sync kept, per path: the ledger's kept and adapted fork hunks, and the lines of
 * the resolver's decided hunks that only the production branch has (the fork side it kept).
 */
export async function keptForkLines(
  deps: { git: GitPort; resolver: Pick<ResolverLog, 'lastRun' | 'decisions'>; ledgers: Pick<LedgerRecords, 'latest'> },
  input: { pipeline: string; repo: string; pr: number; production: string | null },
): Promise<{ lines: Map<string, Set<string>>; decisions: string[] }> {
  const lines = new Map<string, Set<string>>();
  const add = (path: string, values: string[]) => {
    const set = lines.get(path) ?? new Set<string>();
    for (const v of values) set.add(v);
    lines.set(path, set);
  };
  const ledger = deps.ledgers.latest(input.pipeline, { pr: input.pr });
  for (const e of ledger?.entries ?? [])
    if (e.fate === 'kept' || e.fate === 'adapted') add(e.path, significantLines(e.added.join('\n')));
  const run = deps.resolver.lastRun(input.repo, input.pr);
  const decisions: string[] = [];
  if (run) {
    for (const d of deps.resolver.decisions(input.repo, input.pr, run.headSha)) {
      decisions.push(
        `${d.path} hunk ${d.hunk + 1}: ${d.layer ?? 'waiting'}${d.by ? ` (${d.by})` : ''}: ${d.rationale}`,
      );
      if (!d.text || !input.production) continue;
      const prod = await deps.git.readFile(input.repo, input.production, d.path);
      if (!prod) continue;
      // Fork lines: on production and not at the upstream commit production was last synced to.
      const base = run.mergeBase ? await deps.git.readFile(input.repo, run.mergeBase, d.path) : null;
      const upstream = new Set(base ? significantLines(base.toString('utf8')) : []);
      const fork = new Set(significantLines(prod.toString('utf8')).filter((l) => !upstream.has(l)));
      add(
        d.path,
        significantLines(d.text).filter((l) => fork.has(l)),
      );
    }
  }
  return { lines, decisions };
}
