import type { Config, BranchSyncConfig, ReleaseSyncConfig } from '../../config/schema.js';
import { pipelineById } from '../../config/require-pipeline.js';
import { isAppError, AppError, errorMessage } from '../../errors.js';
import { checkPatch } from '../../core/ci-fix/patch-check.js';
import { decideAttempt } from '../../core/ci-fix/fix-bounds.js';
import { KIND, type CiFixJobData } from '../../jobs/job-kinds.js';
import type { JobContext, JobDefinition } from '../../ports/jobs.js';
import type {
  Clock,
  GitHubPort,
  GitPort,
  LlmPort,
  ResolverLog,
  SyncCardReader,
  SyncNotifier,
  SyncRef,
  SyncStage,
  CiFixFact,
} from '../../ports.js';
import type { CiFixRecords } from '../../ports/ci-fix-records.js';
import type { CiGitHubPort } from '../../ports/ci-github.js';
import type { LedgerRecords } from '../../ports/ledger-records.js';
import { llmRequestSettings } from '../../adapters/llm/anthropic-llm.js';
import { fileRegions, gatherEvidence, keptForkLines, type CiEvidence } from './fix-ci-evidence.js';
import { fixRequest, proposalSchema, requestBytes } from './fix-ci-llm.js';
import { pushFix } from './fix-ci-push.js';
import * as words from './fix-ci-report.js';

// The bounded CI fixer (issue 19). A red head commit on an open sync PR → evidence → either a
// "pre-existing or flaky" note, or one `propose_patch` request → the patch checked (paths, size,
// files the sync changed, fork customisations, git apply --check in the cache) → one
// `fix(ci): …` commit by the bot, pushed as a fast-forward → thread reply and PR comment. Every
// attempt is recorded before the LLM is asked, so the bounds hold across restarts.

export type FixablePipeline = ReleaseSyncConfig | BranchSyncConfig;

export interface FixCiDeps {
  config: Config;
  github: GitHubPort;
  ci: CiGitHubPort | null;
  git: GitPort;
  llm: LlmPort | null;
  notifier: SyncNotifier;
  cards: SyncCardReader;
  ciFixes: CiFixRecords;
  resolver: Pick<ResolverLog, 'lastRun' | 'decisions'>;
  ledgers: Pick<LedgerRecords, 'latest'>;
  clock: Clock;
}

export type CiFixOutcome =
  | 'pushed'
  | 'refused'
  | 'exhausted'
  | 'already-tried'
  | 'pre-existing'
  | 'llm-unavailable'
  | 'off'
  | 'not-failing'
  | 'not-open'
  | 'moved';

export interface CiFixJobResult {
  outcome: CiFixOutcome;
  pipeline: string;
  pr: number;
  headSha: string | null;
  attempt: { id: number; n: number; of: number } | null;
  commitSha: string | null;
  refused: { reason: string; message: string } | null;
  checks: string[];
  message: string;
}

interface PullFacts {
  open: boolean;
  headSha: string;
  headRef: string;
  baseRef: string;
  htmlUrl: string;
  failing: string[];
  red: boolean;
  /** Checks branch protection requires on the base; absent in a step recorded before this was read. */
  required?: string[];
  tag: string | null;
}

export function fixablePipeline(config: Config, id: string): FixablePipeline {
  const p = pipelineById(config, id);
  if (!p || (p.kind !== 'release-sync' && p.kind !== 'branch-sync'))
    throw new AppError('config_invalid', `pipeline ${id} is not a release-sync or branch-sync pipeline`);
  return p;
}

/** Why the fixer cannot run at all; null when it can. */
export function fixerOff(deps: Pick<FixCiDeps, 'config' | 'llm' | 'ci'>): string | null {
  if (!deps.config.ci.fixer.enabled) return 'ci.fixer.enabled is false';
  if (!deps.config.llm.enabled || !deps.llm) return 'no LLM is configured (llm.enabled and ANTHROPIC_API_KEY)';
  if (!deps.ci) return 'GitHub check details are not available to this process';
  return null;
}

export async function readPull(
  deps: Pick<FixCiDeps, 'github' | 'cards' | 'ci'>,
  p: FixablePipeline,
  pr: number,
): Promise<PullFacts> {
  const pull = await deps.github.getPull(p.fork.repo, pr);
  const checks = await deps.github.getChecks(p.fork.repo, pull.headSha);
  const card = deps.cards.recent(p.id, 50).find((c) => c.pr?.number === pr);
  // Only checks branch protection requires block the merge: a red optional check is not the
  // fixer's to chase. Without protection (or without a CI reader) every check counts.
  const required = deps.ci ? await deps.ci.requiredChecks(p.fork.repo, pull.baseRef) : [];
  const failing = required.length ? checks.failing.filter((name) => required.includes(name)) : checks.failing;
  return {
    open: pull.state === 'open' && !pull.merged,
    headSha: pull.headSha,
    headRef: pull.headRef,
    baseRef: pull.baseRef,
    htmlUrl: pull.htmlUrl,
    failing,
    red: checks.state === 'failure' && failing.length > 0,
    required,
    tag: card?.tag ?? null,
  };
}

export function ciFixJob(deps: FixCiDeps): JobDefinition<CiFixJobData, CiFixJobResult> {
  return { kind: KIND.ciFix, maxAttempts: 5, handler: (ctx) => runFix(ctx, deps) };
}

async function runFix(ctx: JobContext<CiFixJobData>, deps: FixCiDeps): Promise<CiFixJobResult> {
  const d = ctx.job.data;
  const p = fixablePipeline(deps.config, d.pipeline);
  const repo = p.fork.repo;
  const fixer = deps.config.ci.fixer;
  if (d.grant) await ctx.step('grant', async () => deps.ciFixes.grant(repo, d.pr, ctx.job.id, ctx.job.requestedBy));
  const pull = await ctx.step('read', () => readPull(deps, p, d.pr));
  const ref: SyncRef | null = pull.tag ? { pipeline: p.id, tag: pull.tag } : null;
  const result = (outcome: CiFixOutcome, message: string, extra: Partial<CiFixJobResult> = {}): CiFixJobResult => ({
    outcome,
    pipeline: p.id,
    pr: d.pr,
    headSha: pull.headSha,
    attempt: null,
    commitSha: null,
    refused: null,
    checks: pull.failing,
    message,
    ...extra,
  });
  const card = (stage: SyncStage, fact: CiFixFact) =>
    ref ? deps.notifier.syncChanged(ref, { stage, ciFix: fact }) : Promise.resolve();
  const note = (key: string, text: string) =>
    ref ? deps.notifier.syncDetail(ref, { kind: 'note', text }, { key: `ci-fix:${key}` }) : Promise.resolve();
  const now = () => deps.clock.now();

  if (!pull.open) return result('not-open', `PR #${d.pr} is not open`);
  if (d.headSha && d.headSha !== pull.headSha)
    return result('moved', `PR #${d.pr} moved from ${d.headSha.slice(0, 10)} to ${pull.headSha.slice(0, 10)}`);
  if (!pull.red)
    return result(
      'not-failing',
      pull.required?.length
        ? `no required check (${pull.required.join(', ')}) is failing on PR #${d.pr} (${pull.headSha.slice(0, 10)})`
        : `CI is not failing on PR #${d.pr} (${pull.headSha.slice(0, 10)})`,
    );
  const off = fixerOff(deps);
  if (off) {
    // The card says so; the thread already has the failing checks.
    await ctx.step('off', () =>
      card(
        'ci',
        words.fact('off', now(), { headSha: pull.headSha, reason: 'off', message: off, failing: pull.failing }),
      ),
    );
    return result('off', `CI fixer is off: ${off}`);
  }

  // ---- bounds: decided and recorded before the LLM is asked ----
  const begun = await ctx.step('begin', async () => {
    const attempts = deps.ciFixes.attempts(repo, d.pr);
    const mine = attempts.find((a) => a.jobId === ctx.job.id);
    if (mine) return { ok: true as const, id: mine.id };
    const grants = deps.ciFixes.grants(repo, d.pr);
    let verdict = decideAttempt({
      attempts,
      headSha: pull.headSha,
      maxAttemptsPerPr: fixer.maxAttemptsPerPr,
      grants: grants.total,
      granted: false,
    });
    if (!verdict.ok && grants.unused > 0)
      verdict = decideAttempt({
        attempts,
        headSha: pull.headSha,
        maxAttemptsPerPr: fixer.maxAttemptsPerPr,
        grants: grants.total,
        granted: true,
      });
    if (!verdict.ok)
      return { ok: false as const, reason: verdict.reason, message: verdict.message, n: verdict.n, of: verdict.of };
    const a = deps.ciFixes.begin({
      pipeline: p.id,
      tag: pull.tag ?? '',
      repo,
      pr: d.pr,
      headSha: pull.headSha,
      n: verdict.n,
      of: verdict.of,
      jobId: ctx.job.id,
      granted: verdict.granted,
      checks: pull.failing,
    });
    if (verdict.granted) deps.ciFixes.useGrant(repo, d.pr, a.id);
    return { ok: true as const, id: a.id };
  });
  if (!begun.ok) {
    // The same red commit seen twice (webhook and poll, or a rerun) is not news.
    if (begun.reason === 'same-sha' && !d.grant) return result('already-tried', begun.message);
    await ctx.step('stopped', async () => {
      await card(
        'needs-person',
        words.fact('exhausted', now(), { ...begun, headSha: pull.headSha, failing: pull.failing }),
      );
      await note(`stopped:${pull.headSha}`, words.stoppedNote(begun.message, pull.failing));
    });
    return result('exhausted', `CI fixer stopped: ${begun.message}`);
  }
  const attempt = deps.ciFixes.get(begun.id)!;
  const counted = { id: attempt.id, n: attempt.n, of: attempt.of };
  const base = { n: attempt.n, of: attempt.of, headSha: pull.headSha, failing: pull.failing };
  await ctx.step('running', () => card('ci', words.fact('running', now(), base)));

  // ---- evidence ----
  const evidence = await ctx.step('evidence', () =>
    gatherEvidence({ github: deps.github, ci: deps.ci! }, fixer, { repo, pr: d.pr, ...pull }),
  );
  if (evidence.scope.kind === 'pre-existing') {
    const { detail, checks } = evidence.scope;
    await ctx.step('pre-existing', async () => {
      deps.ciFixes.update(attempt.id, { outcome: 'pre-existing', note: detail, finished: true });
      await card('ci', words.fact('pre-existing', now(), { ...base, message: detail }));
      await note(`pre-existing:${pull.headSha}`, words.preExistingNote(detail, checks));
    });
    return result('pre-existing', `likely pre-existing or flaky: ${detail}`, { attempt: counted });
  }

  // ---- the LLM's proposal ----
  const proposal = await ctx.step('propose', () => propose(deps, p, evidence));
  if (!proposal.ok) {
    if (proposal.kind === 'outage') {
      await ctx.step('outage', async () => {
        deps.ciFixes.update(attempt.id, { outcome: 'llm-unavailable', note: proposal.message, finished: true });
        await card('ci', words.fact('llm-unavailable', now(), { ...base, message: proposal.message }));
        await note(`outage:${attempt.id}`, words.outageNote(proposal.message));
      });
      return result('llm-unavailable', `the LLM did not answer: ${proposal.message}`, { attempt: counted });
    }
  }
  // ---- checks: ours, then git's ----
  const checked = await ctx.step('check', async () => {
    if (!proposal.ok)
      return { ok: false as const, refused: { reason: 'malformed' as const, message: proposal.message } };
    deps.ciFixes.update(attempt.id, {
      patch: proposal.patch,
      summary: proposal.summary,
      rationale: proposal.rationale,
    });
    const kept = await keptForkLines(deps, {
      pipeline: p.id,
      repo,
      pr: d.pr,
      production: await baseHead(deps, repo, pull.baseRef),
    });
    const verdict = checkPatch(proposal.patch, {
      ...fixer,
      changedFiles: evidence.changedFiles,
      forkLines: kept.lines,
    });
    if (!verdict.ok) return { ok: false as const, refused: verdict.refused };
    const applied = await deps.git.applyPatch(repo, pull.headSha, proposal.patch);
    if (!applied.ok)
      return {
        ok: false as const,
        refused: { reason: 'does-not-apply' as const, message: `git apply --check: ${applied.reason}` },
      };
    return { ok: true as const, tree: applied.tree, paths: verdict.paths, lines: verdict.lines };
  });
  if (!checked.ok) {
    const { reason, message } = checked.refused;
    await ctx.step('refused', async () => {
      deps.ciFixes.update(attempt.id, { outcome: 'refused', refused: checked.refused, finished: true });
      await card('needs-person', words.fact('refused', now(), { ...base, reason, message }));
      await note(`refused:${attempt.id}`, words.refusedNote(attempt, reason, message));
    });
    return result('refused', `patch refused (${reason}): ${message}`, { attempt: counted, refused: checked.refused });
  }
  if (!proposal.ok) throw new AppError('internal', 'unreachable: a refused proposal passed the checks');

  // ---- commit and push ----
  const commitSha = await ctx.step('commit', () =>
    deps.git.commitTree(repo, {
      tree: checked.tree,
      parents: [pull.headSha],
      message: words.commitMessage(attempt, proposal.summary, proposal.rationale),
      author: deps.config.git.author,
    }),
  );
  const pushed = await ctx.step('push', () =>
    pushFix(deps, {
      repo,
      headRef: pull.headRef,
      headSha: pull.headSha,
      commitSha,
      trailer: words.trailerValue(attempt),
    }),
  );
  if (pushed.outcome === 'moved') {
    await ctx.step('moved', async () =>
      deps.ciFixes.update(attempt.id, { outcome: 'failed', note: 'the branch moved before the push', finished: true }),
    );
    return result('moved', `${pull.headRef} moved before the push; nothing was pushed`, { attempt: counted });
  }
  const done = await ctx.step('record', async () =>
    deps.ciFixes.update(attempt.id, {
      outcome: 'pushed',
      commitSha: pushed.sha,
      paths: checked.paths,
      lines: checked.lines,
      finished: true,
    }),
  );
  await ctx.step('announce', async () => {
    const marker = words.commentMarker(attempt.id);
    const comments = await deps.github.listComments(repo, d.pr);
    if (!comments.some((c) => c.body.startsWith(marker)))
      await deps.github.createComment(repo, d.pr, words.pushedComment(done));
    await card('ci', words.fact('pushed', now(), { ...base, commitSha: pushed.sha }));
    await note(`pushed:${attempt.id}`, words.pushedNote(done, pull.htmlUrl));
  });
  return result(
    'pushed',
    `attempt ${attempt.n} of ${attempt.of}: pushed ${pushed.sha.slice(0, 10)} fix(ci): ${proposal.summary}`,
    {
      attempt: counted,
      commitSha: pushed.sha,
    },
  );
}

async function baseHead(
  deps: Pick<FixCiDeps, 'git' | 'github'>,
  repo: string,
  baseRef: string,
): Promise<string | null> {
  const info = await deps.github.getRepo(repo);
  await deps.git.checkRefName(baseRef);
  const local = `refs/fork/heads/${baseRef}`;
  await deps.git.fetch({ repo, cloneUrl: info.cloneUrl }, [`+refs/heads/${baseRef}:${local}`]);
  return deps.git.resolve(repo, local);
}

type Proposed =
  | { ok: true; patch: string; summary: string; rationale: string }
  | { ok: false; kind: 'outage' | 'invalid'; message: string };

const OUTAGE = new Set(['rate_limited', 'unavailable', 'timeout']);

/** Fetches the head into the cache, builds the request and asks; an outage is an answer, not a throw. */
async function propose(deps: FixCiDeps, p: FixablePipeline, e: CiEvidence): Promise<Proposed> {
  const repo = p.fork.repo;
  const info = await deps.github.getRepo(repo);
  await deps.git.checkRefName(e.headRef);
  await deps.git.fetch({ repo, cloneUrl: info.cloneUrl }, [`+refs/heads/${e.headRef}:refs/fork/heads/${e.headRef}`]);
  const regions = await fileRegions(deps.git, repo, e);
  const kept = await keptForkLines(deps, { pipeline: p.id, repo, pr: e.pr, production: null });
  const request = fixRequest(llmRequestSettings(p.resolution.llm ?? deps.config.llm), e, regions, kept.decisions);
  try {
    const answer = await deps.llm!.callTool(request);
    const parsed = proposalSchema.safeParse(answer.input);
    if (!parsed.success)
      return {
        ok: false,
        kind: 'invalid',
        message: `the answer is not a valid propose_patch call: ${parsed.error.issues[0]?.message ?? ''}`,
      };
    return { ok: true, ...parsed.data };
  } catch (err) {
    if (isAppError(err) && OUTAGE.has(err.code)) return { ok: false, kind: 'outage', message: errorMessage(err) };
    if (isAppError(err) && err.code === 'validation') return { ok: false, kind: 'invalid', message: errorMessage(err) };
    throw err;
  }
}

/** --dry-run: what the fixer would look at and how big its request would be; the LLM is not called. */
export async function previewFix(
  deps: FixCiDeps,
  p: FixablePipeline,
  pr: number,
): Promise<{
  pull: PullFacts;
  off: string | null;
  evidence: CiEvidence | null;
  requestBytes: number | null;
  attempts: number;
}> {
  const pull = await readPull(deps, p, pr);
  const off = fixerOff(deps);
  const attempts = deps.ciFixes.attempts(p.fork.repo, pr).length;
  if (!pull.red || !deps.ci) return { pull, off, evidence: null, requestBytes: null, attempts };
  const evidence = await gatherEvidence({ github: deps.github, ci: deps.ci }, deps.config.ci.fixer, {
    repo: p.fork.repo,
    pr,
    ...pull,
  });
  const info = await deps.github.getRepo(p.fork.repo);
  await deps.git.checkRefName(pull.headRef);
  await deps.git.fetch({ repo: p.fork.repo, cloneUrl: info.cloneUrl }, [
    `+refs/heads/${pull.headRef}:refs/fork/heads/${pull.headRef}`,
  ]);
  const regions = await fileRegions(deps.git, p.fork.repo, evidence);
  const kept = await keptForkLines(deps, { pipeline: p.id, repo: p.fork.repo, pr, production: null });
  const request = fixRequest(
    llmRequestSettings(p.resolution.llm ?? deps.config.llm),
    evidence,
    regions,
    kept.decisions,
  );
  return { pull, off, evidence, requestBytes: requestBytes(request), attempts };
}
