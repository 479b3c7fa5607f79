import { z } from 'zod';
import {
  accessSchema,
  branchName,
  cronExpression,
  pipelineId,
  prSchema,
  regexSource,
  releaseSchema,
  repoSlug,
  resolutionSchema,
  slackPipelineSchema,
  template,
  timezone,
  versionSchema,
} from '../schema-parts.js';
import { guardsFileSchema, guardsSchema } from '../guards-schema.js';

// kind: release-sync (CARTO): upstream stable release tags become sync PRs into the production
// branch, and the fork cuts its own releases. The kind may be omitted: it was the only one.

export const releaseSyncSchema = z
  .object({
    id: pipelineId,
    kind: z
      .literal('release-sync')
      .default('release-sync')
      .describe('Pipeline kind. release-sync: upstream stable tags become sync PRs and fork releases.'),
    upstream: z
      .object({
        repo: repoSlug,
        tagPattern: regexSource({ namedGroup: 'version' }).describe(
          'Regex a stable release tag must match, with a (?<version>…) group holding its semver. Run with RE2 (linear time, so a hostile tag cannot stall the bot): no backreferences or lookaround; tags longer than 255 characters never match.',
        ),
      })
      .strict()
      .describe('The project being followed.'),
    fork: z
      .object({
        repo: repoSlug,
        mirrorBranch: branchName.optional().describe('Branch that mirrors upstream releases; omitted: no mirror.'),
        productionBranch: branchName.describe("Branch with the fork's customisations; sync PRs target it."),
      })
      .strict()
      .describe('The fork.'),
    version: versionSchema,
    syncBranch: template(['tag'], ['tag', 'version'])
      .default('upstream-sync/{tag}')
      .describe('Name of the sync branch; must contain {tag}.'),
    pr: prSchema.default(() => prSchema.parse({})).describe('Sync PR settings.'),
    schedule: cronExpression.optional().describe('When to check for new releases; omitted: only by hand.'),
    timezone: timezone.default('UTC'),
    minReleaseAge: z
      .number()
      .min(0)
      .default(0)
      .describe('Hours to wait after an upstream release is published before syncing it.'),
    whenNewerReleaseWhilePrOpen: z
      .enum(['queue', 'supersede'])
      .default('queue')
      .describe(
        'queue: report the newer release and open nothing; supersede: close the older sync PR with a comment and open the newer one.',
      ),
    resolution: resolutionSchema.default(() => resolutionSchema.parse({})),
    slack: slackPipelineSchema.optional().describe('Slack settings; omitted: this pipeline posts nothing.'),
    release: releaseSchema.optional().describe('Fork releases; omitted: no releases.'),
    access: accessSchema
      .optional()
      .describe('Per-pipeline allow-lists; each listed action replaces the top-level list.'),
    guards: guardsSchema,
    guardsFile: guardsFileSchema,
  })
  .strict();

export type ReleaseSyncConfig = z.output<typeof releaseSyncSchema>;
