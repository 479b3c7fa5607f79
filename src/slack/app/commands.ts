import type { Action, PipelineConfig } from '../../config/schema.js';
import { errorMessage } from '../../errors.js';
import { isReleaseSync } from '../../config/require-pipeline.js';
import type { Actor } from '../../ports.js';
import { resolveJobInput, skipJobInput, syncJobInput, type SyncJobData } from '../../jobs/job-kinds.js';
import { busyRefusal } from '../../pipelines/release-sync/sync-run.js';
import type { SyncResult } from '../../pipelines/release-sync/sync-types.js';
import type { JobRecord } from '../../ports/jobs.js';
import { COMMANDS, parseCommand, type CommandName, type SlashCommand } from '../command-parser.js';
import { checkTagShape } from '../../pipelines/release-sync/skip-release.js';
import { code, inline, link } from '../mrkdwn.js';
import { helpMessage, usageMessage, type CommandAudience } from '../views/help.js';
import { FINAL_STAGES } from '../../ports/sync-cards.js';
import { historyMessage, statusMessage } from '../views/status.js';
import { withLatestActions } from '../views/audit-history.js';
import { answerStatus } from './status-answer.js';
import { openReleasePreview } from './release-flow.js';
import { actorOf, pipelinesIn, type Interaction, type SlackContext } from './slack-context.js';

// `/upstream-sync …` after the ack: parse, find the pipeline, check who may, then queue the work
// or answer from SQLite. Nothing here waits on GitHub or git.

function audience(ctx: SlackContext, pipelines: PipelineConfig[]): CommandAudience {
  const who = (permission: Action | 'read'): 'everyone' | string[] | null => {
    if (permission === 'read') return 'everyone';
    const lists = pipelines
      .map((p) => ctx.deps.authorizer.allowList(p, permission))
      .filter((l): l is string[] => l !== null);
    return lists.length ? [...new Set(lists.flat())] : null;
  };
  return Object.fromEntries(
    (Object.keys(COMMANDS) as CommandName[]).map((n) => [n, who(COMMANDS[n].permission)]),
  ) as CommandAudience;
}

/** The pipeline a command is about: named, the one reporting to this channel, or the only one. */
function targetOf(ctx: SlackContext, ix: Interaction, named: string | null): PipelineConfig | string {
  const all = ctx.deps.config.pipelines;
  if (named) return ctx.pipeline(named) as PipelineConfig;
  const here = pipelinesIn(ctx.deps.config, ix.channelId);
  if (here.length === 1) return here[0] as PipelineConfig;
  if (all.length === 1) return all[0] as PipelineConfig;
  return `Name the pipeline: ${(here.length ? here : all).map((p) => code(p.id)).join(', ')}.`;
}

function checkText(p: PipelineConfig, r: SyncResult): string {
  const latest = r.latestTag ? code(r.latestTag) : 'no stable release';
  const current = r.currentVersion ? code(r.currentVersion) : 'unknown';
  const pr = r.pr ? ` (${link(r.pr.url, `PR #${r.pr.number}`)})` : '';
  const what: Record<SyncResult['outcome'], string> = {
    'up-to-date': `is up to date: production ${current}, latest upstream ${latest}.`,
    'pr-created': `would sync ${latest} (production ${current}): \`/upstream-sync sync ${p.id}\` does it.`,
    'pr-exists': `has a sync PR open for ${latest}${pr}.`,
    queued: `has ${latest} waiting behind the open sync PR${pr}.`,
    superseded: `would replace the open sync PR${pr} with ${latest}.`,
    refused: `was not checked: ${inline(r.refused?.message ?? 'refused')}`,
    failed: `could not be checked: ${inline(r.error?.message ?? 'unknown error')}`,
  };
  return `🔎 *${p.id}* ${what[r.outcome]}`;
}

/** The response_url a command answers through is good for 30 minutes. */
const REFUSAL_WAIT_MS = 25 * 60_000;

/**
 * A requested tag the plan refuses gets no card, so the person who asked is told why once the
 * job has decided. Runs after the ack and never throws: the answer is a courtesy.
 */
async function answerRefusal(ctx: SlackContext, ix: Interaction, jobId: number, tag: string): Promise<void> {
  try {
    const done = await ctx.deps.queue.waitFor(jobId, { timeoutMs: REFUSAL_WAIT_MS });
    const result = done.state === 'succeeded' ? (done.result as SyncResult | null) : null;
    if (result?.outcome === 'refused' && result.refused)
      await ctx.answer(ix, `🚫 ${code(tag)} was not synced: ${inline(result.refused.message)}`);
  } catch (err) {
    ctx.deps.log.debug({ err, jobId }, 'no answer about the requested tag');
  }
}

/** `sync` works for every kind: the sync job runs the pipeline's own kind. */
async function syncCommand(
  ctx: SlackContext,
  ix: Interaction,
  p: PipelineConfig,
  cmd: Extract<SlashCommand, { name: 'sync' }>,
  actor: Actor,
): Promise<void> {
  const { tag } = cmd;
  if (!(await ctx.allowed(ix, p, 'sync', 'sync', tag ? `tag:${tag}` : null))) return;
  const inFlight = ctx.deps.cards.recent(p.id, 10).find((c) => !FINAL_STAGES.includes(c.stage));
  const data: SyncJobData = { pipeline: p.id, ...(tag ? { tag } : {}), ...(cmd.silent ? { silent: true } : {}) };
  const what = tag ? `a sync of *${p.id}* to ${code(tag)}` : `a sync of *${p.id}*`;
  const busy = (active: JobRecord<SyncJobData>) => {
    const refusal = busyRefusal(active, data)?.refused;
    return refusal ? inline(`${refusal.message[0]?.toUpperCase()}${refusal.message.slice(1)}.`) : null;
  };
  const { job } = await ctx.enqueue(ix, syncJobInput(data, actor), what, inFlight ?? null, { busy });
  if (tag && job.data.tag === tag) void answerRefusal(ctx, ix, job.id, tag);
}

export async function handleCommand(ctx: SlackContext, ix: Interaction, text: string): Promise<void> {
  const { config, status } = ctx.deps;
  const parsed = parseCommand(
    text,
    config.pipelines.map((p) => p.id),
  );
  if (!parsed.ok) return ctx.answer(ix, usageMessage(parsed.problem, parsed.name));
  const cmd: SlashCommand = parsed.command;
  if (cmd.name === 'help') {
    const here = pipelinesIn(config, ix.channelId);
    return ctx.answer(
      ix,
      helpMessage({ audience: audience(ctx, here.length ? here : config.pipelines), pipelines: here.map((p) => p.id) }),
    );
  }
  if (cmd.name === 'status' && !cmd.pipeline && pipelinesIn(config, ix.channelId).length > 1) {
    return answerStatus(ctx, ix, pipelinesIn(config, ix.channelId).filter(isReleaseSync), actorOf(ix));
  }
  const p = targetOf(ctx, ix, cmd.pipeline);
  if (typeof p === 'string') return ctx.answer(ix, `⚠️ ${p}`);
  const actor = actorOf(ix);
  if (cmd.name === 'sync') return syncCommand(ctx, ix, p, cmd, actor);
  if (cmd.name === 'status' && p.kind === 'branch-sync') {
    // From the last run's facts (with their time); a run is what reads GitHub for this kind.
    if (!(await ctx.allowed(ix, p, 'read', 'status', null))) return;
    return ctx.answer(ix, statusMessage([await status.status(p)]));
  }
  if (!isReleaseSync(p)) {
    if (cmd.name === 'status' && ctx.deps.kindStatus) {
      if (!(await ctx.allowed(ix, p, 'read', 'status', null))) return;
      const lines = await ctx.deps.kindStatus(p);
      return ctx.answer(ix, `*${inline(p.id)}* (${p.kind})\n\`\`\`${lines.join('\n').replace(/`/g, "'")}\`\`\``);
    }
    return ctx.answer(ix, `⚠️ \`${cmd.name}\` is not available for *${p.id}*, a ${p.kind} pipeline.`);
  }
  switch (cmd.name) {
    case 'status':
      if (!(await ctx.allowed(ix, p, 'read', 'status', null))) return;
      return answerStatus(ctx, ix, [p], actor);
    case 'history':
      if (!(await ctx.allowed(ix, p, 'read', 'history', null))) return;
      return ctx.answer(
        ix,
        withLatestActions(
          historyMessage(p.id, await status.history(p)),
          p.id,
          ctx.deps.audit.list({ pipeline: p.id, limit: 20 }),
        ),
      );
    case 'check': {
      if (!(await ctx.allowed(ix, p, 'sync', 'check', null))) return;
      await ctx.answer(ix, `🔎 Checking *${p.id}* for a new upstream release…`);
      const result = await ctx.deps
        .check(p, actor)
        .catch(
          (err: unknown) =>
            ({ outcome: 'failed', error: { code: 'internal', message: errorMessage(err) } }) as SyncResult,
        );
      return ctx.answer(ix, checkText(p, result));
    }
    case 'resolve': {
      if (cmd.repo && cmd.repo.toLowerCase() !== p.fork.repo.toLowerCase())
        return ctx.answer(ix, `⚠️ ${code(cmd.repo)} is not the fork of *${p.id}* (${code(p.fork.repo)}).`);
      if (!(await ctx.allowed(ix, p, 'resolve', 'resolve', `pr:${p.fork.repo}#${cmd.pr}`))) return;
      await ctx.enqueue(ix, resolveJobInput(p, cmd.pr, actor), `the resolver on PR #${cmd.pr}`, null);
      return;
    }
    case 'release':
      return openReleasePreview(ctx, ix, p, cmd.bump);
    case 'skip': {
      if (!(await ctx.allowed(ix, p, 'skip', 'skip', `tag:${cmd.tag}`))) return;
      const shape = checkTagShape(p, cmd.tag);
      if (!shape.ok) return ctx.answer(ix, `⚠️ ${inline(shape.refused.message)}`);
      const card = ctx.deps.cards.get({ pipeline: p.id, tag: cmd.tag });
      const pr = card?.snapshot.pr?.number ?? null;
      await ctx.enqueue(
        ix,
        skipJobInput(p, { pipeline: p.id, tag: cmd.tag, pr }, actor),
        `skipping ${code(cmd.tag)}`,
        card ? { pipeline: p.id, tag: cmd.tag } : null,
      );
      return;
    }
    case 'unskip': {
      if (!(await ctx.allowed(ix, p, 'skip', 'unskip', `tag:${cmd.tag}`))) return;
      const removed = ctx.deps.records.unskip(p.id, cmd.tag, actor);
      return ctx.answer(
        ix,
        removed
          ? `✅ ${code(cmd.tag)} is no longer skipped; the next check of *${p.id}* may sync it.`
          : `ℹ️ ${code(cmd.tag)} was not skipped for *${p.id}*.`,
      );
    }
  }
}
