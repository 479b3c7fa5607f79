import { z } from 'zod';
import {
  accessSchema,
  branchName,
  cronExpression,
  pipelineId,
  repoSlug,
  resolutionSchema,
  slackPipelineSchema,
  timezone,
} from '../schema-parts.js';
import { guardsFileSchema, guardsSchema } from '../guards-schema.js';

// kind: branch-sync (open-webui): a sync branch in the fork is kept merged with an upstream
// branch and proposed to the fork's target branch through one PR.

const branchSyncPrSchema = z
  .object({
    title: z.string().min(1).default('chore: sync with upstream').describe('Title of the PR into the target branch.'),
    labels: z.array(z.string().min(1)).default(['upstream-sync']).describe('Labels on the PR.'),
    reviewers: z.array(z.string()).default([]).describe('GitHub logins asked to review the PR.'),
    teamReviewers: z.array(z.string()).default([]).describe('GitHub team slugs asked to review the PR.'),
    assignees: z.array(z.string()).default([]).describe('GitHub logins assigned to the PR.'),
    readyLabel: z
      .string()
      .min(1)
      .optional()
      .describe('Label kept on the PR while it is ready (CI green, mergeable); omitted: no label.'),
  })
  .strict();

export const branchSyncSchema = z
  .object({
    id: pipelineId,
    kind: z
      .literal('branch-sync')
      .describe('branch-sync: a sync branch kept merged with an upstream branch, proposed to a target branch.'),
    upstream: z
      .object({ repo: repoSlug, branch: branchName.describe('Upstream branch to follow, e.g. main.') })
      .strict()
      .describe('The upstream branch followed.'),
    fork: z
      .object({
        repo: repoSlug,
        syncBranch: branchName.describe('Branch in the fork that receives upstream merges; only ever grows.'),
        targetBranch: branchName.describe('Branch the sync PR targets, e.g. dev.'),
      })
      .strict()
      .describe('The fork.'),
    schedule: cronExpression.optional().describe('When to merge upstream; omitted: only by hand.'),
    timezone: timezone.default('UTC'),
    pr: branchSyncPrSchema.default(() => branchSyncPrSchema.parse({})).describe('Sync PR settings.'),
    allowUnrelatedHistories: z
      .boolean()
      .default(false)
      .describe('Merge an upstream branch that shares no history with the sync branch (refused otherwise).'),
    resolution: resolutionSchema.default(() => resolutionSchema.parse({})),
    slack: slackPipelineSchema.optional().describe('Slack settings; omitted: this pipeline posts nothing.'),
    access: accessSchema
      .optional()
      .describe('Per-pipeline allow-lists; each listed action replaces the top-level list.'),
    guards: guardsSchema,
    guardsFile: guardsFileSchema,
  })
  .strict();

export type BranchSyncConfig = z.output<typeof branchSyncSchema>;
