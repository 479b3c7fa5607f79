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

// kind: mirror (OCC): a target repository's branch and tags kept equal to a source's, by
// fast-forward only; divergence is reported, and forced only when an allowed person asks.

const side = (what: string) =>
  z.object({ repo: repoSlug, branch: branchName.describe(`Branch of the ${what}.`) }).strict();

const mirrorMergeSchema = z
  .object({
    title: z
      .string()
      .min(1)
      .default('chore: merge the source into the target')
      .describe('Title of the merge PR into the target branch (the source head is appended).'),
    labels: z.array(z.string().min(1)).default(['upstream-sync']).describe('Labels on the merge PR.'),
    readyLabel: z
      .string()
      .min(1)
      .optional()
      .describe('Label kept on the merge PR while it is ready (CI green, mergeable); omitted: no label.'),
  })
  .strict();

const mirrorBackupsSchema = z
  .object({
    retentionDays: z
      .number()
      .int()
      .min(1)
      .max(3650)
      .default(90)
      .describe(
        'Backups older than this many days are listed by status and removed by `mirror prune-backups` (never automatically).',
      ),
  })
  .strict();

export const mirrorSchema = z
  .object({
    id: pipelineId,
    kind: z.literal('mirror').describe("mirror: a target repository's branch and tags kept equal to a source's."),
    source: side('source').describe('The repository mirrored.'),
    target: side('target').describe('The repository kept equal to the source.'),
    tags: z
      .string()
      .min(1)
      .optional()
      .describe('Glob (picomatch) of tag names to mirror, e.g. "v*"; omitted: no tags.'),
    schedule: cronExpression.optional().describe('When to mirror; omitted: only by hand.'),
    timezone: timezone.default('UTC'),
    after: z
      .object({
        workflows: z
          .array(z.string().min(1))
          .min(1)
          .describe('Workflow names whose successful run on the source branch triggers a mirror run.'),
      })
      .strict()
      .optional()
      .describe('Also run after these source workflows succeed.'),
    merge: mirrorMergeSchema
      .default(() => mirrorMergeSchema.parse({}))
      .describe('Merge into target: the PR that merges a diverged source into the target instead of forcing.'),
    resolution: resolutionSchema.default(() => resolutionSchema.parse({})),
    backups: mirrorBackupsSchema
      .default(() => mirrorBackupsSchema.parse({}))
      .describe('Backup refs kept before any forced update (refs/upstream-sync/backup/<branch>/<UTC time>).'),
    slack: slackPipelineSchema.optional().describe('Slack settings; omitted: this pipeline posts nothing.'),
    access: accessSchema
      .optional()
      .describe('Per-pipeline allow-lists; each listed action replaces the top-level list.'),
  })
  .strict();

export type MirrorConfig = z.output<typeof mirrorSchema>;
