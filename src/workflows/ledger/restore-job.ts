import type { Config } from '../../config/schema.js';
import { pipelineById } from '../../config/require-pipeline.js';
import { AppError, isAppError } from '../../errors.js';
import { KIND, type LedgerRestoreData } from '../../jobs/job-kinds.js';
import { classifyFile } from '../../core/ledger/classify.js';
import { restoreHunk } from '../../core/ledger/restore-hunk.js';
import type { JobDefinition } from '../../ports/jobs.js';
import type { AuditLog, GitHubPort, GitPort, SyncCardReader, SyncNotifier, TreeChange } from '../../ports.js';
import type { LedgerRecords } from '../../ports/ledger-records.js';
import { ledgerAtHead, takenByRuleOf, type LedgerPipeline } from './ledger-gate.js';
import { refreshLedger } from './ledger-refresh.js';
import { recordLedger } from './ledger-service.js';

// "Restore fork side": the resolver's answer for one dropped fork hunk, asked for by a person. The
// hunk and PR come from the stored ledger (the button only names them); the fork's lines are put
// back into the sync branch's file, the result is classified again (it must no longer be dropped,
// else nothing is committed), then one commit on the sync branch, pushed as a fast-forward from
// the head it was made on (never forced). The ledger is rebuilt for the new head and the card and
// thread refreshed. Audited either way.

export interface RestoreJobDeps {
  config: Config;
  github: GitHubPort;
  git: GitPort;
  ledgers: LedgerRecords;
  notifier: SyncNotifier;
  cards: SyncCardReader;
  audit: AuditLog;
}

export type RestoreJobResult =
  | { restored: true; hunkId: string; commit: string; already: false }
  | { restored: false; hunkId: string; reason: string; already: boolean };

type Planned =
  | { ok: true; head: string; commit: string; branch: string; cloneUrl: string }
  | { ok: false; reason: string; already: boolean };

async function plan(deps: RestoreJobDeps, p: LedgerPipeline, data: LedgerRestoreData): Promise<Planned> {
  const repo = p.fork.repo;
  const pr = await deps.github.getPull(repo, data.pr);
  if (pr.merged || pr.state !== 'open') return { ok: false, reason: `PR #${pr.number} is not open`, already: false };
  await deps.git.checkRefName(pr.headRef);
  const info = await deps.github.getRepo(repo);
  // The head is fetched whatever the ledger says: the commit is made on exactly that head.
  await deps.git.fetch({ repo, cloneUrl: info.cloneUrl }, [`+refs/heads/${pr.headRef}:refs/fork/heads/${pr.headRef}`]);
  const found = await ledgerAtHead(deps, p, pr);
  if (!found || found.record.tag !== data.tag)
    return {
      ok: false,
      reason: `no fork-patch ledger of ${data.tag} is recorded for PR #${pr.number}`,
      already: false,
    };
  const entry = found.record.entries.find((e) => e.id === data.hunkId);
  if (!entry) return { ok: false, reason: `the ledger of PR #${pr.number} has no hunk ${data.hunkId}`, already: false };
  if (entry.fate !== 'dropped')
    return { ok: false, reason: `hunk ${entry.id} is ${entry.fate} at ${pr.headSha.slice(0, 7)}`, already: true };
  const { baseSha, productionSha, upstreamSha } = found.record;
  const basePath = entry.basePath ?? entry.path;
  const [result, resultAtBasePath, fork, base, upstream] = await deps.git.readFiles(repo, [
    { rev: pr.headSha, path: entry.path },
    { rev: pr.headSha, path: basePath },
    { rev: productionSha, path: entry.path },
    { rev: baseSha, path: basePath },
    { rev: upstreamSha, path: entry.path },
  ]);
  const text = (b: Buffer | null | undefined) => b?.toString('utf8') ?? null;
  const restored = restoreHunk(entry, {
    result: text(result),
    resultAtBasePath: entry.basePath ? text(resultAtBasePath) : null,
    fork: text(fork),
  });
  if (!restored.ok) return { ok: false, reason: restored.reason, already: false };
  // The resolver's own check: classified again, the hunk must no longer be dropped.
  const again = classifyFile({
    path: entry.path,
    ...(entry.basePath ? { basePath: entry.basePath } : {}),
    base: entry.kind === 'added-file' ? null : text(base),
    fork: text(fork),
    upstream: text(upstream),
    result: restored.content,
  }).find((e) => e.id === entry.id);
  if (again?.fate === 'dropped')
    return { ok: false, reason: `restoring ${entry.id} did not bring it back (${again.detail})`, already: false };
  const changes: TreeChange[] = [
    restored.content === null
      ? { path: restored.path, delete: true }
      : { path: restored.path, content: Buffer.from(restored.content, 'utf8') },
    ...(restored.alsoDelete ? [{ path: restored.alsoDelete, delete: true as const }] : []),
  ];
  const tree = await deps.git.writeTree(repo, pr.headSha, changes);
  const commit = await deps.git.commitTree(repo, {
    tree,
    parents: [pr.headSha],
    message: `Restore the fork's side of ${entry.path}\n\nFork-patch ledger hunk ${entry.id} was dropped by the sync; applied again as production has it.`,
    author: deps.config.git.author,
  });
  return { ok: true, head: pr.headSha, commit, branch: pr.headRef, cloneUrl: info.cloneUrl };
}

export function restoreJob(deps: RestoreJobDeps): JobDefinition<LedgerRestoreData, RestoreJobResult> {
  return {
    kind: KIND.ledgerRestore,
    maxAttempts: 3,
    handler: async (ctx) => {
      const { data, requestedBy } = ctx.job;
      const p = pipelineById(deps.config, data.pipeline);
      if (!p || (p.kind !== 'release-sync' && p.kind !== 'branch-sync'))
        throw new AppError('usage', `pipeline ${JSON.stringify(data.pipeline)} has no sync PR with a ledger`);
      const repo = p.fork.repo;
      const ref = { pipeline: p.id, tag: data.tag };
      const planned = await ctx.step('restore', () => plan(deps, p, data));
      const audit = (outcome: 'done' | 'refused', details: Record<string, unknown>) =>
        deps.audit.record({
          actor: requestedBy,
          action: 'ledger.restore',
          pipeline: p.id,
          target: `hunk:${data.hunkId}`,
          outcome,
          details: { pr: data.pr, ...details },
        }).id;
      if (!planned.ok) {
        await ctx.step('audit', async () => audit('refused', { reason: planned.reason }));
        await deps.notifier.syncDetail(
          ref,
          { kind: 'note', text: `Fork side of ${data.hunkId} not restored: ${planned.reason}.` },
          { key: `ledger-restore-refused:${ctx.job.id}` },
        );
        return { restored: false, hunkId: data.hunkId, reason: planned.reason, already: planned.already };
      }
      // A branch that moved since the plan is not forced: the refusal says to press again (a
      // retry of this job would replay the same stale plan, so it ends here instead).
      const pushed = await ctx.step('push', async () => {
        try {
          await deps.git.push(
            { repo, cloneUrl: planned.cloneUrl },
            { sha: planned.commit, branch: planned.branch, expected: planned.head },
          );
          return { ok: true as const };
        } catch (err) {
          if (!isAppError(err, 'push_rejected')) throw err;
          return {
            ok: false as const,
            reason: `${planned.branch} moved while restoring ${data.hunkId}; nothing was forced, press Restore fork side again`,
          };
        }
      });
      if (!pushed.ok) {
        await ctx.step('audit', async () => audit('refused', { reason: pushed.reason }));
        await deps.notifier.syncDetail(
          ref,
          { kind: 'note', text: `Fork side of ${data.hunkId} not restored: ${pushed.reason}.` },
          { key: `ledger-restore-refused:${ctx.job.id}` },
        );
        return { restored: false, hunkId: data.hunkId, reason: pushed.reason, already: false };
      }
      await ctx.step('audit', async () => audit('done', { commit: planned.commit, branch: planned.branch }));
      // The new head's ledger, then the card and thread say what it is now.
      const stored = deps.ledgers.latest(p.id, { pr: data.pr });
      if (stored) {
        const rebuilt = await recordLedger(deps.git, deps.ledgers, {
          pipeline: p.id,
          tag: stored.tag,
          prNumber: data.pr,
          repo,
          revs: {
            base: stored.baseSha,
            production: stored.productionSha,
            upstream: stored.upstreamSha,
            result: planned.commit,
          },
          guards: p.guards,
          guardsFile: p.guardsFile,
        });
        await refreshLedger(deps, rebuilt, takenByRuleOf(p));
      }
      return { restored: true, hunkId: data.hunkId, commit: planned.commit, already: false };
    },
  };
}
