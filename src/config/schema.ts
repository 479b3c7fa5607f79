import { z } from 'zod';
import { storeSchema } from './store-schema.js';
import { accessSchema, BROADCAST_STATES, gitSchema, llmSchema } from './schema-parts.js';
import { branchSyncSchema } from './kinds/branch-sync.js';
import { dispatchSchema } from './kinds/dispatch.js';
import { mirrorSchema } from './kinds/mirror.js';
import { releaseSyncSchema, type ReleaseSyncConfig } from './kinds/release-sync.js';
import { ciSchema } from './ci-fixer-schema.js';

// The whole configuration: pipelines of every kind (one schema section per kind, in kinds/) and
// the settings they share. A new kind adds its section to PIPELINE_SCHEMAS.

export { accessSchema, ACTIONS, BROADCAST_STATES, type Action } from './schema-parts.js';
export type { ReleaseSyncConfig } from './kinds/release-sync.js';
export type { BranchSyncConfig } from './kinds/branch-sync.js';
export type { MirrorConfig } from './kinds/mirror.js';
export type { DispatchConfig, SubscriberConfig } from './kinds/dispatch.js';

const PIPELINE_SCHEMAS = [releaseSyncSchema, branchSyncSchema, mirrorSchema, dispatchSchema] as const;
export const PIPELINE_KINDS = ['release-sync', 'branch-sync', 'mirror', 'dispatch'] as const;

export const pipelineSchema = z.discriminatedUnion('kind', PIPELINE_SCHEMAS, {
  error: (issue) =>
    issue.code === 'invalid_union'
      ? `unknown pipeline kind: use one of ${PIPELINE_KINDS.join(', ')} (omitted: release-sync)`
      : undefined,
});

export const configSchema = z
  .object({
    pipelines: z.array(pipelineSchema).min(1).describe('The forks this bot keeps in step.'),
    access: accessSchema.default({}),
    git: gitSchema.default(() => gitSchema.parse({})),
    llm: llmSchema.default(() => llmSchema.parse({})),
    ci: ciSchema.default(() => ciSchema.parse({})),
    slack: z
      .object({
        broadcast: z
          .array(z.enum(BROADCAST_STATES))
          .default(['ready', 'needs-person', 'failed'])
          .describe('Card states whose thread reply is also sent to the channel.'),
        reminders: z
          .object({
            enabled: z.boolean().default(true).describe('Remind people of sync PRs waiting for them.'),
            afterWorkingDays: z
              .number()
              .positive()
              .default(2)
              .describe(
                'Working days (Mon–Fri, UTC) a sync PR may wait in needs-person or ready before one reminder a day goes to its thread, mentioning who may resolve or approve.',
              ),
          })
          .strict()
          .default({ enabled: true, afterWorkingDays: 2 })
          .describe('Reminders for sync PRs waiting for a person.'),
        statusMaxAgeMinutes: z
          .number()
          .min(0)
          .default(10)
          .describe(
            'status and App Home answer at once from what is known; facts missing or older than this are read again from GitHub and the same answer is updated.',
          ),
      })
      .strict()
      .default(() => ({
        broadcast: ['ready', 'needs-person', 'failed'] as (typeof BROADCAST_STATES)[number][],
        statusMaxAgeMinutes: 10,
        reminders: { enabled: true, afterWorkingDays: 2 },
      }))
      .describe('Slack settings shared by all pipelines.'),
    web: z
      .object({
        host: z.string().default('0.0.0.0').describe('Address of the HTTP server (healthz, metrics, webhooks).'),
        port: z.number().int().min(0).max(65535).default(3000).describe('Port of the HTTP server; 0 picks a free one.'),
      })
      .strict()
      .default({ host: '0.0.0.0', port: 3000 })
      .describe('HTTP server.'),
    audit: z
      .object({
        retentionDays: z
          .number()
          .int()
          .min(1)
          .default(180)
          .describe('Days an audit entry is kept; a daily prune removes older ones and logs what it removed.'),
      })
      .strict()
      .default({ retentionDays: 180 })
      .describe('The audit log (`upstream-sync audit`, Slack `history`).'),
    store: storeSchema,
  })
  .strict()
  .superRefine((config, ctx) => {
    const seen = new Map<string, number>();
    config.pipelines.forEach((p, i) => {
      const first = seen.get(p.id);
      if (first !== undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['pipelines', i, 'id'],
          message: `duplicate pipeline id "${p.id}" (also pipelines[${first}])`,
        });
      } else seen.set(p.id, i);
    });
  });

export type Config = z.output<typeof configSchema>;
/** Any pipeline, of any kind: narrow on `kind` (or use requirePipeline with a kind) before kind-specific fields. */
export type PipelineConfig = z.output<typeof pipelineSchema>;
export type PipelineKind = PipelineConfig['kind'];
export type PipelineOfKind<K extends PipelineKind> = Extract<PipelineConfig, { kind: K }>;
export type AccessConfig = z.output<typeof accessSchema>;
export type ResolutionRule = ReleaseSyncConfig['resolution']['rules'][number];
export type LlmConfig = z.output<typeof llmSchema>;
export type GitAuthor = Config['git']['author'];
