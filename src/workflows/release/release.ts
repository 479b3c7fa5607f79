import { findDispatchedRun } from './image-dispatch.js';
import type { ReleaseSyncConfig } from '../../config/schema.js';
import { AppError, errorMessage } from '../../errors.js';
import type { Actor, AuditLog, LlmPort, SyncNotifier } from '../../ports.js';
import { acceptPolished, buildPolishRequest } from '../../core/release/notes-polish.js';
import { releaseCardData } from '../../core/release/release-card.js';
import type { ReleaseCardData } from '../../ports/release-cards.js';
import { fetchFork, pipelineFor, planRelease, type ReleasePlan, type ReleasePlanDeps } from './release-plan.js';
import { KIND, type ReleaseJobData } from '../../jobs/job-kinds.js';
import type { JobContext, JobDefinition } from '../../ports/jobs.js';

// The release workflow on the durable runner. Every step looks before it creates, so a job killed
// anywhere and resumed makes one tag and one GitHub release: an existing tag on the planned commit
// is reused, a tag on another commit stops the job, an existing release is reused.

export interface ReleaseJobResult {
  outcome: 'released' | 'already-released';
  tag: string;
  sha: string;
  release: { id: number; url: string; created: boolean } | null;
  dispatched: { workflow: string; ref: string; runUrl?: string } | null;
  notesSource: 'plain' | 'llm' | 'manual' | null;
  card: ReleaseCardData | null;
}

export type AllowRelease = (
  actor: Actor,
  pipeline: ReleaseSyncConfig,
) => Promise<{ allowed: boolean; message?: string }>;

export interface ReleaseJobDeps extends ReleasePlanDeps {
  llm: LlmPort | null;
  audit: AuditLog;
  notifier: SyncNotifier;
  allow: AllowRelease;
}

/**
 * Slack users go through the same allow-list as the buttons (access.release, groups resolved by
 * the Slack authorizer); the CLI runs with the operator's own credentials, so it is trusted;
 * cron, webhooks and bots never release.
 */
export function allowReleaseWith(authorizer: ReleaseAuthorizer | null): AllowRelease {
  return async (actor, pipeline) => {
    if (actor.kind === 'cli') return { allowed: true };
    if (actor.kind !== 'slack') return { allowed: false, message: `${actor.kind} actors may not release` };
    if (!authorizer) return { allowed: false, message: 'Slack allow-lists cannot be checked in this process' };
    return authorizer.authorize({
      userId: actor.id,
      pipeline,
      permission: 'release',
      surface: 'home',
      channelId: null,
    });
  };
}

/** What the Slack Authorizer offers; structural, so jobs do not depend on the Slack module. */
export interface ReleaseAuthorizer {
  authorize(req: {
    userId: string;
    pipeline: ReleaseSyncConfig;
    permission: 'release';
    surface: 'home';
    channelId: null;
  }): Promise<{ allowed: boolean; message?: string }>;
}

/** The part of main.ts's Services the release job needs; `llm` and `authorizer` are optional there. */
export interface ReleaseServices extends ReleasePlanDeps {
  store: { audit: AuditLog };
  notifier: SyncNotifier;
  llm?: LlmPort | null;
  authorizer?: ReleaseAuthorizer | null;
}

export function registerReleaseJob(
  runner: { register(definition: JobDefinition<ReleaseJobData, ReleaseJobResult>): unknown },
  services: ReleaseServices,
): void {
  runner.register(
    releaseJob({
      config: services.config,
      git: services.git,
      github: services.github,
      log: services.log,
      llm: services.llm ?? null,
      audit: services.store.audit,
      notifier: services.notifier,
      allow: allowReleaseWith(services.authorizer ?? null),
    }),
  );
}

async function polishNotes(
  deps: ReleaseJobDeps,
  ctx: JobContext<ReleaseJobData>,
  plan: ReleasePlan,
  enabled: boolean,
): Promise<{ notes: string; source: 'plain' | 'llm' | 'manual' }> {
  if (ctx.job.data.notes?.trim()) return { notes: ctx.job.data.notes, source: 'manual' };
  if (!enabled || !deps.llm) return { notes: plan.notes, source: 'plain' };
  const llm = deps.config.llm;
  try {
    const answer = await deps.llm.callTool(
      buildPolishRequest(plan.notes, { model: llm.model, maxTokens: llm.maxOutputTokens, timeoutMs: llm.timeoutMs }),
      ctx.signal,
    );
    const checked = acceptPolished(plan.notes, answer.input);
    if (checked.ok) return { notes: checked.markdown, source: 'llm' };
    ctx.log.warn({ problem: checked.problem }, 'polished notes refused, shipping the plain notes');
  } catch (err) {
    ctx.log.warn({ err: errorMessage(err) }, 'notes polish failed, shipping the plain notes');
  }
  return { notes: plan.notes, source: 'plain' };
}

export function releaseJob(deps: ReleaseJobDeps): JobDefinition<ReleaseJobData, ReleaseJobResult> {
  return {
    kind: KIND.release,
    maxAttempts: 3,
    handler: async (ctx) => {
      const { data, requestedBy } = ctx.job;
      const pipeline = pipelineFor(deps.config, data.pipeline);
      const repo = pipeline.fork.repo;

      await ctx.step('authorize', async () => {
        const decision = await deps.allow(requestedBy, pipeline);
        deps.audit.record({
          actor: requestedBy,
          action: 'release',
          pipeline: pipeline.id,
          target: `bump:${data.bump}`,
          outcome: decision.allowed ? 'allowed' : 'refused',
          details: decision.message ? { message: decision.message } : {},
        });
        if (!decision.allowed) throw new AppError('forbidden', decision.message ?? 'not allowed to release');
        return true;
      });

      const planned = await ctx.step('plan', () =>
        planRelease(deps, { pipeline: pipeline.id, bump: data.bump, ...(data.commit ? { commit: data.commit } : {}) }),
      );
      if (planned.kind === 'released') {
        ctx.log.info({ tag: planned.tag }, 'production head is already released');
        return {
          outcome: 'already-released',
          tag: planned.tag,
          sha: planned.sha,
          release: null,
          dispatched: null,
          notesSource: null,
          card: null,
        };
      }
      const plan = planned.plan;
      if (data.expectedTag && data.expectedTag !== plan.tag) {
        throw new AppError(
          'conflict',
          `the next release is now ${plan.tag}, not ${data.expectedTag} as previewed: preview again`,
          { details: { expected: data.expectedTag, planned: plan.tag } },
        );
      }
      const notes = await ctx.step('notes', () => polishNotes(deps, ctx, plan, pipeline.release.notesLlm));

      await ctx.step('tag', async () => {
        const { remote } = await fetchFork(deps, pipeline);
        const existing = await deps.git.resolve(repo, `refs/tags/${plan.tag}`);
        if (existing && existing !== plan.sha)
          throw new AppError(
            'conflict',
            `tag ${plan.tag} already exists on ${existing.slice(0, 12)}, not on ${plan.sha.slice(0, 12)}`,
          );
        await deps.git.createTag(repo, {
          name: plan.tag,
          sha: plan.sha,
          message: `Release ${plan.tag}`,
          tagger: deps.config.git.author,
        });
        await deps.git.pushTag(remote, plan.tag);
        return true;
      });

      const release = await ctx.step('github-release', async () => {
        const found = await deps.github.getReleaseByTag(repo, plan.tag);
        if (found) return { id: found.id, url: found.htmlUrl, created: false };
        const made = await deps.github.createRelease(repo, {
          tag: plan.tag,
          name: plan.tag,
          body: notes.notes,
          targetCommitish: plan.sha,
        });
        return { id: made.id, url: made.htmlUrl, created: true };
      });

      // One image build per release: the intent is recorded first; an attempt that finds it
      // recorded by an earlier one looks for the run that one started before dispatching.
      let intentIsNew = false;
      const intent = await ctx.step('dispatch-intent', async () => {
        intentIsNew = true;
        return plan.image ? { at: (deps.now ?? (() => new Date()))().toISOString() } : null;
      });
      const dispatched = await ctx.step('dispatch', async () => {
        if (!plan.image || !intent) return null;
        const image = plan.image;
        if (!intentIsNew) {
          const earlier = await findDispatchedRun(deps.github, repo, image, plan.tag, intent.at);
          if (earlier) {
            ctx.log.info({ runId: earlier.id }, 'image build already dispatched by an earlier attempt');
            return { workflow: image.workflow, ref: image.ref, runUrl: earlier.htmlUrl };
          }
        }
        await deps.github.dispatchWorkflow(repo, image.workflow, image.ref, { [image.input]: plan.tag });
        return { workflow: image.workflow, ref: image.ref };
      });

      const card = releaseCardData({
        tag: plan.tag,
        url: release.url,
        notes: notes.notes,
        previousTag: plan.previous?.tag ?? null,
        version: plan.version,
        upstream: plan.upstream,
        previousUpstream: plan.previousUpstream,
        bump: plan.bump,
        commitCount: plan.commitCount,
        author: requestedBy.id,
        image: plan.image?.name ? { name: plan.image.name, tags: plan.image.tags } : null,
      });
      await ctx.step('announce', async () => {
        deps.audit.record({
          actor: requestedBy,
          action: 'release',
          pipeline: pipeline.id,
          target: `tag:${plan.tag}`,
          outcome: 'done',
          details: { sha: plan.sha, release: release.url },
        });
        await deps.notifier.releasePublished({ pipeline: pipeline.id, card });
        return true;
      });
      return {
        outcome: 'released',
        tag: plan.tag,
        sha: plan.sha,
        release,
        dispatched,
        notesSource: notes.source,
        card,
      };
    },
  };
}
