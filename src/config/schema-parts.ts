import { z } from 'zod';
import cron from 'node-cron';
import { isRepoSlug, refNameProblem } from '../core/refs.js';
import { placeholdersIn } from '../core/template.js';
import { compileConfigRegex } from '../core/config-regex.js';

// The building blocks every pipeline kind's schema section uses. Every object is strict: a
// misspelt key is an error, not a silently ignored setting.

export const repoSlug = z
  .string()
  .refine(isRepoSlug, { message: 'must be "owner/name"' })
  .describe('GitHub repository as "owner/name".');

export const branchName = z
  .string()
  .superRefine((value, ctx) => {
    const problem = refNameProblem(value);
    if (problem) ctx.addIssue({ code: 'custom', message: `not a valid branch name: ${problem}` });
  })
  .describe('A git branch name (validated with the rules of git check-ref-format).');

export function regexSource(opts: { namedGroup?: string } = {}) {
  return z.string().superRefine((value, ctx) => {
    try {
      new RegExp(value);
    } catch (err) {
      ctx.addIssue({ code: 'custom', message: `invalid regular expression: ${(err as Error).message}` });
      return;
    }
    // Matched against upstream-controlled text: only linear-time (RE2) patterns are accepted.
    const compiled = compileConfigRegex(value);
    if (!compiled.ok) {
      ctx.addIssue({ code: 'custom', message: compiled.problem });
      return;
    }
    if (opts.namedGroup && !value.includes(`(?<${opts.namedGroup}>`)) {
      ctx.addIssue({ code: 'custom', message: `must contain a named group (?<${opts.namedGroup}>…)` });
    }
  });
}

export const cronExpression = z
  .string()
  .refine((value) => value.trim().split(/\s+/).length === 5 && cron.validate(value), {
    message: 'invalid cron expression (five fields: minute hour day-of-month month day-of-week)',
  })
  .describe('Cron expression with five fields, e.g. "0 12 * * 1" for Mondays at 12:00.');

export const timezone = z
  .string()
  .refine(
    (value) => {
      try {
        new Intl.DateTimeFormat('en-US', { timeZone: value });
        return true;
      } catch {
        return false;
      }
    },
    { message: 'unknown IANA time zone' },
  )
  .describe('IANA time zone the schedule is read in, e.g. "Europe/Madrid".');

export function template(required: string[], allowed: string[]) {
  return z.string().superRefine((value, ctx) => {
    const used = placeholdersIn(value);
    for (const name of used) {
      if (!allowed.includes(name))
        ctx.addIssue({
          code: 'custom',
          message: `unknown placeholder {${name}} (allowed: ${allowed.map((a) => `{${a}}`).join(', ')})`,
        });
    }
    for (const name of required) {
      if (!used.includes(name)) ctx.addIssue({ code: 'custom', message: `must contain {${name}}` });
    }
  });
}

/**
 * Slack user (U…/W…) or user-group (S…) id, or `github:<login>`. The prefix is required: a bare
 * word (`bob`) or a Slack-looking id of another kind (`C123`) is a mistake, not a GitHub login.
 */
export const principal = z
  .string()
  .regex(/^([UWS][A-Z0-9]{2,}|github:[A-Za-z0-9](?:[A-Za-z0-9-]{0,38}))$/, {
    message: 'must be a Slack user id (U…/W…), a user-group id (S…) or github:<login>',
  })
  .describe(
    'Slack user id (U…/W…), Slack user-group id (S…), or github:<login> (may ask for resolve from GitHub: a /upstream-sync resolve comment or the upstream-sync:resolve label on a sync PR).',
  );

export const accessSchema = z
  .object({
    approve: z.array(principal).describe('Who may press "Approve & merge".').optional(),
    release: z.array(principal).describe('Who may cut a release.').optional(),
    resolve: z.array(principal).describe('Who may start the conflict resolver.').optional(),
    sync: z.array(principal).describe('Who may trigger a check or sync by hand.').optional(),
    skip: z.array(principal).describe('Who may skip or unskip a release.').optional(),
    force: z
      .array(principal)
      .describe('Who may force a diverged mirror onto its target, or roll one back (mirror pipelines).')
      .optional(),
  })
  .strict()
  .describe(
    'Allow-lists per action. An action with no list is refused for everyone. A pipeline-level list replaces the top-level one for that action.',
  );

export const ACTIONS = ['approve', 'release', 'resolve', 'sync', 'skip', 'force'] as const;
export type Action = (typeof ACTIONS)[number];

export const gitAuthor = z
  .union([
    z.string().regex(/^[^<>]+ <[^<>\s]+@[^<>\s]+>$/, { message: 'must look like "Name <email>"' }),
    z
      .object({
        name: z.string().min(1).describe('Author name on commits the bot makes.'),
        email: z
          .string()
          .regex(/^[^\s@]+@[^\s@]+$/, { message: 'must be an e-mail address' })
          .describe('Author e-mail on commits the bot makes.'),
      })
      .strict(),
  ])
  .transform((value) => {
    if (typeof value !== 'string') return value;
    const m = /^(.+?) <(.+)>$/.exec(value) as RegExpExecArray;
    return { name: m[1] as string, email: m[2] as string };
  })
  .describe(
    'Identity for commits and tags the bot makes, as "Name <email>" or {name, email}. Never the machine\'s git config.',
  );

export const DEFAULT_AUTHOR = { name: 'upstream-sync[bot]', email: 'upstream-sync[bot]@users.noreply.github.com' };

export const gitSchema = z
  .object({
    author: gitAuthor.default(DEFAULT_AUTHOR),
  })
  .strict()
  .describe('Git settings.');

export const llmSchema = z
  .object({
    enabled: z
      .boolean()
      .default(true)
      .describe('Ask the LLM about hunks the deterministic layers leave. Needs ANTHROPIC_API_KEY.'),
    model: z.string().min(1).default('claude-sonnet-4-6').describe('Anthropic model id.'),
    confidenceThreshold: z
      .number()
      .min(0)
      .max(1)
      .default(0.8)
      .describe('Answers below this confidence go to a person.'),
    maxOutputTokens: z.number().int().positive().default(8192).describe('max_tokens for one request.'),
    timeoutMs: z.number().int().positive().default(120_000).describe('Timeout for one request, in milliseconds.'),
    maxRetries: z
      .number()
      .int()
      .min(0)
      .max(10)
      .default(3)
      .describe('Retries on 429/529/5xx/timeouts before handing the hunks to a person.'),
    contextLines: z
      .number()
      .int()
      .min(0)
      .max(200)
      .default(20)
      .describe('Lines of surrounding context sent with each hunk.'),
  })
  .strict()
  .describe('LLM settings for the conflict resolver.');

export const rule = z
  .object({
    paths: z.array(z.string().min(1)).min(1).describe('Globs (picomatch) matched against the repository path.'),
    take: z
      .enum(['upstream', 'fork', 'manual', 'merge'])
      .describe(
        "upstream: take the upstream tag's version; fork: keep the production branch's version (a deletion stays deleted); manual: always a person; merge: resolve hunk by hunk.",
      ),
    reason: z.string().optional().describe('Why; shown in the decision log.'),
  })
  .strict();

export const resolutionSchema = z
  .object({
    rules: z.array(rule).default([]).describe('Path rules, first match wins. Checked before the built-in defaults.'),
    defaults: z
      .boolean()
      .default(true)
      .describe(
        'Append the built-in rules (build artefacts such as **/dist/**, **/out/**, minified bundles take upstream).',
      ),
    maxAttempts: z.number().int().min(1).max(10).default(3).describe('Resolver attempts per PR and head commit.'),
    memory: z.boolean().default(true).describe('Replay resolutions that landed before when the same hunk comes back.'),
    llm: llmSchema.optional().describe('Per-pipeline LLM settings; defaults to the top-level llm.'),
    layers: z
      .record(z.string(), z.boolean())
      .default({})
      .describe(
        'Turn deterministic layers on or off by name (stale-fork-side, stale-fork-hunk, blank-equal, same-ignoring-whitespace, higher-version-pin, import-union, list-union, block-union, non-overlapping, key-merge, memory); unset ones keep their measured default (`bench conflicts` prints it).',
      ),
  })
  .strict()
  .describe('How merge conflicts are resolved.');

export const BROADCAST_STATES = ['ready', 'needs-person', 'failed', 'queued', 'pr-open', 'merged', 'released'] as const;

export const impactRuleSchema = z
  .object({
    label: z.string().trim().min(1).max(40).describe("Shown as the card's Impact, e.g. Providers."),
    paths: z
      .array(z.string().min(1))
      .min(1)
      .describe('Globs (picomatch, dotfiles included) matched against the paths the PR changed, e.g. litellm/llms/**.'),
  })
  .strict();

export const slackPipelineSchema = z
  .object({
    channel: z
      .string()
      .regex(/^[CG][A-Z0-9]{6,}$/, { message: 'must be a channel id like C09K0M5MP7V (not a #name)' })
      .describe("Channel id for this pipeline's cards, threads and commands."),
    silent: z.boolean().default(false).describe("Post nothing for this pipeline's syncs."),
    broadcast: z
      .array(z.enum(BROADCAST_STATES))
      .optional()
      .describe(
        'Card states whose thread reply is also sent to the channel. Defaults to the top-level slack.broadcast.',
      ),
    changelog: z
      .boolean()
      .default(false)
      .describe(
        'Post a changelog card when a PR merges into production and a release card when a release is published.',
      ),
    changelogImpact: z
      .array(impactRuleSchema)
      .min(1)
      .optional()
      .describe(
        'The "Impact" of a changelog card: the first rule any changed file matches names it, "Core" when none does. Omitted: the built-in rules (.github/** CI/CD, Dockerfiles Docker).',
      ),
  })
  .strict();

export const imageWorkflowSchema = z
  .object({
    workflow: z
      .string()
      .min(1)
      .describe('Workflow file name or id to dispatch after a release, e.g. carto-ghcr-deploy.yaml.'),
    ref: branchName.optional().describe('Ref the workflow runs on; defaults to the production branch.'),
    input: z.string().default('release_tag').describe('Name of the workflow_dispatch input that receives the tag.'),
    image: z
      .string()
      .optional()
      .describe('Image name shown on the release card, e.g. ghcr.io/cartodb/litellm-non_root.'),
    tags: z
      .array(template([], ['tag', 'upstream']))
      .default(['{tag}'])
      .describe('Image tags the build pushes, shown on the release card.'),
  })
  .strict();

export const releaseSchema = z
  .object({
    tagFormat: template(['major', 'minor', 'patch'], ['upstream', 'major', 'minor', 'patch']).describe(
      "Tag of the fork's releases, e.g. v{upstream}-carto.{major}.{minor}.{patch}.",
    ),
    legacyTagFormats: z
      .array(template(['major', 'minor', 'patch'], ['upstream', 'major', 'minor', 'patch']))
      .default([])
      .describe('Older formats recognised when finding the previous release; never produced.'),
    resetOnUpstreamChange: z
      .boolean()
      .default(false)
      .describe(
        'Restart the fork triple at 1.0.0... when {upstream} changes (documented format) or keep counting (live format).',
      ),
    firstVersion: z
      .string()
      .regex(/^\d+\.\d+\.\d+$/)
      .default('1.0.0')
      .describe('Fork triple of the first release (and after a reset).'),
    notesLlm: z
      .boolean()
      .default(false)
      .describe('Let the LLM polish release-note wording; the plain notes ship if it fails.'),
    imageWorkflow: imageWorkflowSchema.optional().describe('Image build dispatched after the GitHub release.'),
  })
  .strict()
  .describe("How the fork's own releases are numbered and published.");

export const prSchema = z
  .object({
    title: template(['tag'], ['tag', 'version', 'pipeline'])
      .default('🔄 Upstream Sync: {tag}')
      .describe('Sync PR title.'),
    labels: z
      .array(z.string().min(1))
      .default(['upstream-sync', 'automated'])
      .describe('Labels on every sync PR; the first is the sync label the resolver gate checks.'),
    reviewers: z.array(z.string()).default([]).describe('GitHub logins asked to review every sync PR.'),
    teamReviewers: z.array(z.string()).default([]).describe('GitHub team slugs asked to review every sync PR.'),
    assignees: z.array(z.string()).default([]).describe('GitHub logins assigned to every sync PR.'),
    conflictReviewers: z.array(z.string()).default([]).describe('Extra reviewers when the sync has conflicts.'),
    readyLabel: z
      .string()
      .min(1)
      .optional()
      .describe(
        'Label kept on the sync PR while it is ready (CI green, mergeable) and removed when it stops being, for workflows that listen for it (CARTO: sync-ready); omitted: no label.',
      ),
  })
  .strict();

export const versionSchema = z
  .object({
    file: z.string().min(1).describe('Path of the version file on the production branch, e.g. pyproject.toml.'),
    key: z.string().min(1).optional().describe('Dotted key path for TOML or JSON files, e.g. tool.poetry.version.'),
    pattern: regexSource({ namedGroup: 'version' })
      .optional()
      .describe('Regex with a (?<version>…) group, for other files (RE2 syntax: no backreferences or lookaround).'),
  })
  .strict()
  .superRefine((value, ctx) => {
    if ((value.key === undefined) === (value.pattern === undefined)) {
      ctx.addIssue({ code: 'custom', message: 'give exactly one of key or pattern', path: ['key'] });
    }
  })
  .describe('Where the production branch records the upstream version it is on.');

export const pipelineId = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_-]{0,62}$/, { message: 'lowercase letters, digits, - and _' })
  .describe('Short unique id used in commands and job keys.');

/** A glob list (picomatch) of repository paths. */
export const pathGlobs = z.array(z.string().min(1)).min(1);
