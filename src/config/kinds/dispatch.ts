import { z } from 'zod';
import {
  accessSchema,
  branchName,
  cronExpression,
  pipelineId,
  repoSlug,
  slackPipelineSchema,
  timezone,
} from '../schema-parts.js';

// kind: dispatch (a monorepo feeding "cousin" repositories): when the source branch changes under
// a subscribed path, each subscriber gets a repository_dispatch or a PR applying the change.

export const subscriberSchema = z
  .object({
    repo: repoSlug,
    subscriptions: z
      .array(z.string().min(1))
      .min(1)
      .describe('Source paths this subscriber follows: directory prefixes or globs (picomatch).'),
    mode: z
      .enum(['dispatch', 'pull-request'])
      .default('dispatch')
      .describe('dispatch: a repository_dispatch event; pull-request: a PR applying the subscribed directory.'),
    eventType: z.string().min(1).max(100).default('feature-update').describe('event_type of the repository_dispatch.'),
    pathMap: z
      .record(z.string().min(1), z.string())
      .optional()
      .describe('Where each subscribed directory goes in the subscriber (pull-request mode); default: the same path.'),
    base: branchName.optional().describe("Branch the PR targets; default: the subscriber's default branch."),
    labels: z.array(z.string().min(1)).default([]).describe('Labels on the PR (pull-request mode).'),
  })
  .strict();

export const dispatchSchema = z
  .object({
    id: pipelineId,
    kind: z
      .literal('dispatch')
      .describe('dispatch: a monorepo pushes each changed feature to the repositories subscribed to it.'),
    source: z
      .object({ repo: repoSlug, branch: branchName.describe('Branch whose changes are dispatched.') })
      .strict()
      .describe('The monorepo.'),
    subscribers: z.array(subscriberSchema).optional().describe('Repositories and the paths they subscribe to.'),
    subscribersFile: z
      .string()
      .min(1)
      .optional()
      .describe(
        'A JSON file in the source repository listing subscribers (merged with subscribers), read at the processed commit.',
      ),
    schedule: cronExpression.optional().describe('When to look for changes; omitted: only by hand.'),
    timezone: timezone.default('UTC'),
    slack: slackPipelineSchema.optional().describe('Slack settings; omitted: this pipeline posts nothing.'),
    access: accessSchema
      .optional()
      .describe('Per-pipeline allow-lists; each listed action replaces the top-level list.'),
  })
  .strict()
  .superRefine((value, ctx) => {
    if (!value.subscribers?.length && !value.subscribersFile) {
      ctx.addIssue({ code: 'custom', path: ['subscribers'], message: 'give subscribers, subscribersFile, or both' });
    }
    const seen = new Map<string, number>();
    value.subscribers?.forEach((s, i) => {
      const first = seen.get(s.repo.toLowerCase());
      if (first !== undefined)
        ctx.addIssue({
          code: 'custom',
          path: ['subscribers', i, 'repo'],
          message: `duplicate subscriber "${s.repo}" (also subscribers[${first}])`,
        });
      else seen.set(s.repo.toLowerCase(), i);
    });
  });

export type DispatchConfig = z.output<typeof dispatchSchema>;
export type SubscriberConfig = z.output<typeof subscriberSchema>;
