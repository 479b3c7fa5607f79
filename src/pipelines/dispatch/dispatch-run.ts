import type { Logger } from 'pino';
import type { Config, DispatchConfig, SubscriberConfig } from '../../config/schema.js';
import { requirePipeline } from '../../config/require-pipeline.js';
import { deliveriesFor, type Delivery } from '../../core/dispatch/subscriptions.js';
import { AppError, errorMessage } from '../../errors.js';
import type { DispatchRecords } from '../../ports/dispatch-records.js';
import type { GitHubPort, GitPort, Signature, SyncNotifier } from '../../ports.js';
import { scrub } from '../../redact.js';
import type { KindRunOptions } from '../pipeline-kind.js';
import { deliverDispatch, deliverPullRequest, type SourceRange } from './deliver.js';
import { outcomeOf, type DeliveryLine, type DispatchResult } from './dispatch-result.js';
import { readSubscribers } from './subscribers.js';

// One dispatch run: read the source head H, diff it against the last commit processed, and
// deliver each (subscriber, feature) the diff touches, plus whatever failed last time. Each
// delivery is its own step and its own row, so a crash between two subscribers resumes with the
// ones left, a rerun for the same H delivers nothing twice, and one subscriber's failure is
// recorded (and retried next run) without hiding the others.

export interface DispatchDeps {
  config: Config;
  github: GitHubPort;
  git: GitPort;
  records: DispatchRecords;
  author: Signature;
  notifier: Pick<SyncNotifier, 'kindRun'>;
}

export interface DispatchRun {
  log: Logger;
  dryRun: boolean;
  step<T>(name: string, fn: () => Promise<T>): Promise<T>;
}

const SHA = /^[0-9a-f]{4,40}$/i;

function refused(
  p: DispatchConfig,
  from: string | null,
  to: string | null,
  reason: string,
  message: string,
  dryRun: boolean,
): DispatchResult {
  return {
    pipeline: p.id,
    kind: 'dispatch',
    outcome: 'refused',
    from,
    to,
    deliveries: [],
    dryRun,
    refused: { reason, message },
  };
}

export async function runDispatch(
  deps: DispatchDeps,
  pipelineId: string,
  options: KindRunOptions,
  run: DispatchRun,
): Promise<DispatchResult> {
  const p = requirePipeline(deps.config, pipelineId, 'dispatch');
  const { github, git, records } = deps;
  const dryRun = run.dryRun;
  const sourceInfo = await github.getRepo(p.source.repo);
  const remote = { repo: sourceInfo.fullName, cloneUrl: sourceInfo.cloneUrl };
  const cache = sourceInfo.fullName;

  // H is read once per job: a resumed job processes the same commit it started with.
  const head = await run.step('source-head', async () => {
    const sha = await github.getBranchSha(p.source.repo, p.source.branch);
    if (!sha)
      throw new AppError('not_found', `the source branch ${p.source.branch} does not exist in ${p.source.repo}`);
    return sha;
  });
  await git.fetch(remote, [`+refs/heads/${p.source.branch}:refs/upstream-sync/dispatch/source`]);

  const last = records.lastProcessed(p.id)?.sha ?? null;
  let from = last;
  if (options.since !== undefined) {
    const since = SHA.test(options.since) ? await git.resolve(cache, options.since) : null;
    if (!since || !(await git.isAncestor(cache, since, head)))
      return refused(
        p,
        last,
        head,
        'not-on-branch',
        `${options.since.slice(0, 40)} is not a commit on ${p.source.repo} ${p.source.branch}`,
        dryRun,
      );
    from = since;
  }
  if (!from) {
    // First run: nothing was ever delivered, so this commit is where deliveries start from.
    if (!dryRun) records.setLastProcessed(p.id, head);
    return { pipeline: p.id, kind: 'dispatch', outcome: 'baseline', from: null, to: head, deliveries: [], dryRun };
  }

  const pending = records.pending(p.id);
  const changed = from === head ? [] : await git.changedPaths(cache, from, head);
  const subscribers = await readSubscribers(git, p, cache, head);
  if (!subscribers.ok) throw new AppError('config_invalid', subscribers.message);
  const byRepo = new Map(subscribers.subscribers.map((s) => [s.repo.toLowerCase(), s]));
  const fresh = deliveriesFor(subscribers.subscribers, changed);
  const retries: Delivery[] = pending
    .filter(
      (f) => !fresh.some((d) => d.subscriber.toLowerCase() === f.subscriber.toLowerCase() && d.feature === f.feature),
    )
    .filter((f) => byRepo.get(f.subscriber.toLowerCase())?.subscriptions.includes(f.feature))
    .map((f) => ({ subscriber: f.subscriber, feature: f.feature, mode: f.mode, changedPaths: f.changedPaths }));

  const source: SourceRange = {
    repo: p.source.repo,
    branch: p.source.branch,
    remote,
    from,
    to: head,
    htmlUrl: sourceInfo.htmlUrl,
  };
  const lines: DeliveryLine[] = [];
  for (const d of [...fresh, ...retries]) {
    const sub = byRepo.get(d.subscriber.toLowerCase()) as SubscriberConfig;
    lines.push(await deliverOne(deps, run, p, source, sub, d));
  }
  const result: DispatchResult = {
    pipeline: p.id,
    kind: 'dispatch',
    outcome: outcomeOf(lines),
    from,
    to: head,
    deliveries: lines,
    dryRun,
  };
  if (dryRun) return result;
  await run.step('advance', async () => (records.setLastProcessed(p.id, head), true));
  // One card per processed range with deliveries (a quiet range posts nothing).
  if (lines.length && !options.silent)
    await run.step('notify', async () => {
      await deps.notifier.kindRun?.({
        pipeline: p.id,
        key: `${from}..${head}`,
        result: { ...result, sourceUrl: sourceInfo.htmlUrl },
      });
      return true;
    });
  return result;
}

async function deliverOne(
  deps: DispatchDeps,
  run: DispatchRun,
  p: DispatchConfig,
  source: SourceRange,
  sub: SubscriberConfig,
  d: Delivery,
): Promise<DeliveryLine> {
  const name = `deliver ${source.to} ${sub.repo} ${d.feature}`;
  const deliver = async (): Promise<DeliveryLine> => {
    // A row for this commit, subscriber and feature means it was delivered already (a crash after
    // the effect and before the step was recorded).
    const done = run.dryRun ? null : deps.records.delivery(p.id, source.to, sub.repo, d.feature);
    if (done && done.result !== 'failed') return { ...lineOf(done) };
    const deliverDeps = {
      ...deps,
      dryRun: run.dryRun,
      step: run.step,
      warn: (message: string, fields: Record<string, unknown>) => run.log.warn(fields, message),
    };
    let line: DeliveryLine;
    try {
      const out =
        sub.mode === 'dispatch'
          ? await deliverDispatch(deliverDeps, source, sub, d)
          : await deliverPullRequest(deliverDeps, source, sub, d);
      line = { subscriber: sub.repo, feature: d.feature, mode: sub.mode, ...out, error: null };
    } catch (err) {
      run.log.warn({ err, subscriber: sub.repo, feature: d.feature }, 'delivery failed');
      line = {
        subscriber: sub.repo,
        feature: d.feature,
        mode: sub.mode,
        result: 'failed',
        pr: null,
        error: scrub(errorMessage(err)),
      };
    }
    if (!run.dryRun)
      deps.records.record(p.id, { from: source.from, to: source.to }, { ...line, changedPaths: d.changedPaths });
    return line;
  };
  return run.dryRun ? deliver() : run.step(name, deliver);
}

function lineOf(r: DeliveryLine): DeliveryLine {
  return { subscriber: r.subscriber, feature: r.feature, mode: r.mode, result: r.result, pr: r.pr, error: r.error };
}
