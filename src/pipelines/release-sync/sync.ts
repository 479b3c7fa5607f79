import type { ReleaseSyncConfig } from '../../config/schema.js';
import { upstreamNotes } from '../../core/sync/upstream-notes.js';
import { isTransient, toJobError } from '../../errors.js';
import type { ConflictedPath, SyncNotifier, SyncRef, SyncUpdate } from '../../ports.js';
import { renderSyncPrBody } from '../../core/sync/pr-body.js';
import { syncBranchName } from '../../core/sync/sync-branch.js';
import type { StableRelease } from '../../core/sync/release-selection.js';
import { KIND, resolveJobInput, type SyncJobData } from '../../jobs/job-kinds.js';
import type { JobRunner } from '../../jobs/runner.js';
import { botOwnsBranch, fetchHeads, knownRefs, olderSyncTagCommit, remotes, type SyncHeads } from './sync-git.js';
import { planMirror, planSyncBranch, publish, type MirrorPlan } from './sync-publish.js';
import { inspect, type Inspection } from './sync-inspect.js';
import { closeSuperseded, ensurePull } from './sync-pr.js';
import { describeConflicts } from './sync-rules.js';
import { failedResult } from './sync-result.js';
import { ledgerStep } from './sync-ledger.js';
import { ledgerDetail, ledgerReplyKey } from '../../workflows/ledger/ledger-refresh.js';
import { takenByRuleOf } from '../../workflows/ledger/ledger-gate.js';
import type { SyncDeps, SyncResult, SyncRun } from './sync-types.js';
import { pipelineById, requireReleaseSync } from '../../config/require-pipeline.js';
import type { JobContext } from '../../ports/jobs.js';
import type { KindJobData, KindModules, KindResult } from '../pipeline-kind.js';

// The sync workflow (one job per pipeline at a time): inspect → mirror → sync branch → PR →
// hand conflicts to the resolver. Every effect is a named step (memoized by the runner) that
// looks before it acts, so kill -9 at any point and a restart end in one branch and one PR.

/** The one `sync` job: release-sync pipelines run here, pipelines of other kinds in their module. */
export function registerSyncJob(runner: JobRunner, deps: SyncDeps, kinds: KindModules = new Map()): void {
  runner.register<SyncJobData, SyncResult | KindResult>({
    kind: KIND.sync,
    handler: async (ctx) => {
      const pipeline = pipelineById(deps.config, ctx.job.data.pipeline);
      const other = pipeline && pipeline.kind !== 'release-sync' ? kinds.get(pipeline.kind) : undefined;
      if (other) return other.run(ctx as unknown as JobContext<KindJobData>);
      const run: SyncRun = {
        log: ctx.log,
        dryRun: false,
        requestedBy: ctx.job.requestedBy,
        jobId: ctx.job.id,
        step: (name, fn) => ctx.step(name, fn),
        enqueue: (input) => ctx.enqueue(input),
      };
      try {
        return recordRun(deps, run, await runSync(deps, ctx.job.data, run));
      } catch (err) {
        // Only the last attempt is a failed run; earlier ones are retried by the runner.
        if (!isTransient(err) || ctx.job.attempts >= ctx.job.maxAttempts) {
          recordRun(deps, run, {
            ...failedResult(ctx.job.data.pipeline, false, toJobError(err)),
          });
        }
        throw err;
      }
    },
  });
}

/** Keeps the run in SQLite (history and `status`); a resumed job records it once. */
export function recordRun(deps: SyncDeps, run: SyncRun, result: SyncResult): SyncResult {
  deps.syncRecords.recordRun({
    pipeline: result.pipeline,
    jobId: run.jobId,
    dryRun: run.dryRun,
    outcome: result.outcome,
    currentVersion: result.currentVersion,
    latestTag: result.latestTag,
    pr: result.pr,
    conflicts: result.conflicts,
    skipped: result.skipped,
    error: result.error ?? null,
    requestedBy: run.requestedBy,
  });
  return result;
}

function notify(
  notifier: SyncNotifier,
  run: SyncRun,
  ref: SyncRef,
  update: SyncUpdate,
  silent: boolean,
): Promise<void> {
  if (run.dryRun) return Promise.resolve();
  // Slack never fails a sync (invariant 10); the notifier only records and returns.
  return notifier
    .syncChanged(ref, { ...update, silent, jobId: run.jobId, requestedBy: run.requestedBy })
    .catch((err: unknown) => {
      run.log.warn({ err }, 'sync notification failed');
    });
}

export async function runSync(deps: SyncDeps, data: SyncJobData, run: SyncRun): Promise<SyncResult> {
  const p = requireReleaseSync(deps.config, data.pipeline);
  const silent = data.silent ?? false;
  const found = await run.step('inspect', () => inspect(deps, p, data.tag));
  const result = (outcome: SyncResult['outcome'], extra: Partial<SyncResult> = {}): SyncResult => ({
    pipeline: p.id,
    outcome,
    currentVersion: found.currentVersion,
    latestTag: found.latest?.tag ?? null,
    pr: null,
    conflicts: [],
    dryRun: run.dryRun,
    skipped: found.skipped,
    ...(data.tag === undefined ? {} : { requestedTag: data.tag }),
    ...extra,
  });

  if (!run.dryRun && found.newlyClosed.length > 0) {
    await run.step('record-closed-prs', async () => {
      for (const c of found.newlyClosed)
        deps.syncRecords.skip(p.id, c.tag, {
          reason: 'pr-closed',
          prNumber: c.pr,
          note: `sync PR #${c.pr} was closed without merging`,
        });
      return found.newlyClosed.length;
    });
  }
  if (!run.dryRun) recordMergedSyncs(deps, p, found);

  const plan = found.plan;
  const target = plan.action === 'up-to-date' ? plan.latest : plan.action === 'refused' ? null : plan.target;
  const syncing = plan.action === 'sync' || plan.action === 'supersede';
  const branch = target && syncing ? syncBranchName(p.syncBranch, target.tag, target.version) : null;
  // One incremental fetch serves the mirror and the sync branch; it is repeated on resume, which
  // is what keeps the later steps' "look first" honest.
  let heads: SyncHeads | null = null;
  if (target && (p.fork.mirrorBranch || syncing)) {
    if (branch) await deps.git.checkRefName(branch);
    // Read fresh on every run (conditional GETs: free when unchanged), so an idle check finds the
    // cache already holding every ref and makes no git request at all.
    const [mirrorSha, branchSha, productionSha, tagRef] = await Promise.all([
      p.fork.mirrorBranch ? deps.github.getBranchSha(p.fork.repo, p.fork.mirrorBranch) : Promise.resolve(null),
      branch ? deps.github.getBranchSha(p.fork.repo, branch) : Promise.resolve(null),
      deps.github.getBranchSha(p.fork.repo, p.fork.productionBranch),
      deps.github.listRefs(p.upstream.repo, `refs/tags/${target.tag}`),
    ]);
    heads = await fetchHeads(deps.git, found, p, {
      tag: target.tag,
      branch: branchSha ? branch : null,
      mirrorExists: mirrorSha !== null,
      known: knownRefs({
        tag: [target.tag, tagRef.find((r) => r.ref === `refs/tags/${target.tag}`)?.sha ?? null],
        branches: [
          [p.fork.productionBranch, productionSha],
          [p.fork.mirrorBranch ?? '', mirrorSha],
          [branch ?? '', branchSha],
        ],
      }),
    });
  }
  // One step writes to the fork: the mirror moved to the tag and, when syncing, the new sync branch.
  const published = target && heads ? await publishStep(deps, run, p, found, { target, heads, branch }) : null;

  switch (plan.action) {
    case 'refused':
      // Nothing was changed and there is no card for a tag that is not synced: the answer says why.
      run.log.info({ tag: plan.refusal.tag, reason: plan.refusal.reason }, 'requested tag refused');
      return result('refused', { refused: { reason: plan.refusal.reason, message: plan.refusal.message } });
    case 'up-to-date':
      if (target)
        await notify(deps.notifier, run, { pipeline: p.id, tag: target.tag }, { stage: 'up-to-date' }, silent);
      return result('up-to-date');
    case 'pr-exists':
      return result('pr-exists', { pr: { number: plan.pr.number, url: plan.pr.htmlUrl } });
    case 'queued':
      await notify(
        deps.notifier,
        run,
        { pipeline: p.id, tag: plan.target.tag },
        {
          stage: 'queued',
          fromVersion: found.currentVersion,
          toVersion: plan.target.version,
          blockedBy: { tag: plan.pr.tag, pr: plan.pr.number, url: plan.pr.htmlUrl },
        },
        silent,
      );
      return result('queued', { pr: { number: plan.pr.number, url: plan.pr.htmlUrl } });
    case 'sync':
    case 'supersede':
      return syncRelease(
        deps,
        run,
        p,
        found,
        {
          target: plan.target,
          branch: branch as string,
          published: published as Published,
          silent,
          heads: heads as SyncHeads,
        },
        result,
      );
  }
}

function recordMergedSyncs(deps: SyncDeps, p: ReleaseSyncConfig, found: Inspection): void {
  for (const m of found.merged)
    deps.syncRecords.recordSynced({
      pipeline: p.id,
      tag: m.tag,
      version: m.version,
      prNumber: m.pr,
      mergeSha: m.mergeSha,
    });
}

interface Published {
  mirror: { action: MirrorPlan['action']; sha: string } | null;
  branch: { head: string; created: boolean; conflicts: ConflictedPath[] } | null;
  commits: number;
  filesChanged: number;
  /** Files the fork customises that this release touches (absent in steps recorded before it existed). */
  customised?: string[];
}

async function publishStep(
  deps: SyncDeps,
  run: SyncRun,
  p: ReleaseSyncConfig,
  found: Inspection,
  input: { target: StableRelease; heads: SyncHeads; branch: string | null },
): Promise<Published> {
  const { target, heads, branch } = input;
  return run.step(branch ? `publish:${target.tag}` : `mirror:${target.tag}`, async () => {
    const cache = found.fork.repo;
    const author = deps.config.git.author;
    const mirrorBranch = p.fork.mirrorBranch;
    const [mirror, planned, stats] = await Promise.all([
      mirrorBranch
        ? planMirror(deps.git, cache, {
            branch: mirrorBranch,
            head: heads.mirror,
            tag: target.tag,
            tagCommit: heads.tagCommit,
            author,
          })
        : null,
      branch
        ? planSyncBranch(deps.git, cache, {
            branch,
            heads,
            tag: target.tag,
            productionBranch: p.fork.productionBranch,
            author,
          })
        : null,
      branch ? changeStats(deps, cache, heads) : null,
    ]);
    const made = run.dryRun
      ? planned
      : await publish(deps.git, remotes(found).fork, { mirror, branch: planned, heads });
    if (mirror && mirror.action !== 'unchanged')
      run.log.info(
        {
          branch: mirrorBranch,
          tag: target.tag,
          action: mirror.action,
          settled: mirror.settled.length,
          dryRun: run.dryRun,
        },
        'mirror branch advanced',
      );
    return {
      mirror: mirror ? { action: mirror.action, sha: mirror.sha } : null,
      branch: made ? { head: made.head, created: made.create, conflicts: made.conflicts } : null,
      commits: stats?.commits ?? 0,
      filesChanged: stats?.filesChanged ?? 0,
      customised: stats?.customised ?? [],
    };
  });
}

async function syncRelease(
  deps: SyncDeps,
  run: SyncRun,
  p: ReleaseSyncConfig,
  found: Inspection,
  input: { target: StableRelease; branch: string; published: Published; silent: boolean; heads: SyncHeads },
  result: (outcome: SyncResult['outcome'], extra?: Partial<SyncResult>) => SyncResult,
): Promise<SyncResult> {
  const { target, branch, published, silent } = input;
  const ref = { pipeline: p.id, tag: target.tag };
  await notify(
    deps.notifier,
    run,
    ref,
    {
      stage: 'detected',
      fromVersion: found.currentVersion,
      toVersion: target.version,
      compareUrl: compareUrl(found, target),
    },
    silent,
  );

  const built = {
    ...(published.branch as NonNullable<Published['branch']>),
    commits: published.commits,
    filesChanged: published.filesChanged,
  };
  const conflicts = describeConflicts(p, built.conflicts);
  const conflictPaths = built.conflicts.map((x: ConflictedPath) => x.path);
  const outcome = found.plan.action === 'supersede' ? 'superseded' : 'pr-created';
  if (run.dryRun) return result(outcome, { latestTag: target.tag, conflicts: conflictPaths });

  const ledgers = deps.ledgers;
  const ledger = ledgers
    ? await run.step(`ledger:${target.tag}`, () =>
        ledgerStep({ git: deps.git, ledgers }, p, {
          cache: found.fork.repo,
          tag: target.tag,
          heads: input.heads,
          head: built.head,
          conflicted: conflictPaths,
        }),
      )
    : null;
  // Read once and recorded: a resumed job writes the same PR body.
  const notes = await run.step(`upstream-notes:${target.tag}`, async () => {
    const body =
      found.targetNotes !== undefined
        ? found.targetNotes
        : ((await deps.github.getReleaseByTag(p.upstream.repo, target.tag))?.body ?? null);
    return upstreamNotes({ body, url: target.htmlUrl });
  });

  const body = renderSyncPrBody({
    pipeline: p.id,
    upstreamRepo: p.upstream.repo,
    forkRepo: p.fork.repo,
    tag: target.tag,
    version: target.version,
    currentVersion: found.currentVersion,
    productionBranch: p.fork.productionBranch,
    syncBranch: branch,
    mirrorBranch: p.fork.mirrorBranch ?? null,
    releaseUrl: target.htmlUrl,
    compareUrl: compareUrl(found, target),
    commits: built.commits,
    filesChanged: built.filesChanged,
    conflicts,
    ...(ledger ? { ledger: ledger.section } : {}),
    upstream: { notes, customised: published.customised ?? [] },
  });
  const pr = await run.step('pull-request', async () => {
    const { pr: opened, created } = await ensurePull(deps.github, run.log, p, {
      branch,
      tag: target.tag,
      version: target.version,
      body,
      conflicted: conflictPaths.length > 0,
    });
    return { number: opened.number, url: opened.htmlUrl, title: opened.title, created };
  });
  await notify(
    deps.notifier,
    run,
    ref,
    {
      stage: conflictPaths.length > 0 ? 'resolving' : 'pr-open',
      pr: { number: pr.number, url: pr.url, title: pr.title },
      commitsBehind: built.commits,
      ...(ledger?.block ? { ledgerBlock: ledger.block } : {}),
    },
    silent,
  );

  if (ledgers && ledger) {
    ledgers.setPr(p.id, target.tag, pr.number);
    // The thread gets the ledger with a button per dropped hunk (Accept drop, Restore fork side).
    const stored = ledgers.latest(p.id, { tag: target.tag, pr: pr.number });
    if (stored) {
      const detail = ledgerDetail(stored, ledgers, takenByRuleOf(p));
      await deps.notifier
        .syncDetail(ref, detail, { key: ledgerReplyKey(detail) })
        .catch((err: unknown) => run.log.warn({ err }, 'ledger reply failed'));
    }
  }
  if (!silent)
    await deps.notifier
      .syncDetail(
        ref,
        { kind: 'upstream-notes', notes, customised: published.customised ?? [] },
        { key: `upstream-notes:${target.tag}` },
      )
      .catch((err: unknown) => run.log.warn({ err }, 'upstream notes not posted'));

  if (found.plan.action === 'supersede')
    await supersedeStep(deps, run, p, found, { newTag: target.tag, newPrUrl: pr.url });

  if (conflictPaths.length > 0) {
    await run.step('enqueue-resolver', async () => {
      const enqueued = await run.enqueue(resolveJobInput(p, pr.number, { kind: 'bot', id: `sync:${p.id}` }));
      return { jobId: enqueued.job.id };
    });
  }
  return result(outcome, { latestTag: target.tag, pr: { number: pr.number, url: pr.url }, conflicts: conflictPaths });
}

async function changeStats(
  deps: SyncDeps,
  cache: string,
  heads: SyncHeads,
): Promise<{ commits: number; filesChanged: number; customised: string[] }> {
  const base = await deps.git.mergeBase(cache, heads.production, heads.tagCommit);
  const commits = await deps.git.countCommits(cache, heads.production, heads.tagCommit);
  const upstream = base ? await deps.git.changedPaths(cache, base, heads.tagCommit) : [];
  // What the fork changed since it last met upstream, that upstream changes again in this release.
  const fork = new Set(base ? await deps.git.changedPaths(cache, base, heads.production) : []);
  const customised = upstream.filter((path) => fork.has(path)).sort();
  return { commits, filesChanged: upstream.length, customised };
}

function compareUrl(found: Inspection, target: StableRelease): string | null {
  return found.currentTag
    ? `${found.upstream.htmlUrl}/compare/${encodeURIComponent(found.currentTag)}...${encodeURIComponent(target.tag)}`
    : null;
}

async function supersedeStep(
  deps: SyncDeps,
  run: SyncRun,
  p: ReleaseSyncConfig,
  found: Inspection,
  input: { newTag: string; newPrUrl: string },
): Promise<void> {
  const plan = found.plan;
  if (plan.action !== 'supersede') return;
  const old = plan.pr;
  await run.step('supersede', async () => {
    const oldHead = await deps.github.getBranchSha(p.fork.repo, old.headRef);
    let deletable = false;
    if (oldHead) {
      const tagCommit = await olderSyncTagCommit(deps.git, found, { tag: old.tag, branch: old.headRef, head: oldHead });
      deletable =
        tagCommit !== null &&
        (await botOwnsBranch(deps.git, found.fork.repo, tagCommit, oldHead, deps.config.git.author));
    }
    // Recorded first: should the job die right after closing, the closure is still known to be ours.
    deps.syncRecords.recordBotClosed(p.id, p.fork.repo, old.number, old.tag);
    await closeSuperseded(deps.github, p, {
      old,
      newTag: input.newTag,
      newPrUrl: input.newPrUrl,
      branchDeleted: deletable,
      ...(oldHead && !deletable ? { branchKeptReason: 'someone other than the bot committed to it' } : {}),
    });
    if (deletable) await deps.github.deleteBranch(p.fork.repo, old.headRef);
    return { closed: old.number, branchDeleted: deletable };
  });
  await notify(
    deps.notifier,
    run,
    { pipeline: p.id, tag: old.tag },
    { stage: 'superseded', supersededBy: input.newTag },
    false,
  );
}
