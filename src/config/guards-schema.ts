import { z } from 'zod';
import { regexSource } from './schema-parts.js';

// `guards:` of a merging pipeline: per fork feature, files that must exist and patterns that must
// still match in the sync result. Shapes match src/core/ledger/guards.ts.

const repoFile = z
  .string()
  .min(1)
  .refine((p) => !p.startsWith('/') && !p.split('/').some((s) => s === '' || s === '.' || s === '..'), {
    message: 'must be a repository-relative file path',
  });

const guardPatternSchema = z
  .object({
    file: repoFile.describe('File the pattern is looked for in.'),
    literal: z.string().min(1).optional().describe('Text the file must still contain.'),
    regex: regexSource().optional().describe('Regex (multiline) the file must still match.'),
  })
  .strict()
  .refine((p) => p.literal !== undefined || p.regex !== undefined, { message: 'give literal or regex' });

export const featureGuardSchema = z
  .object({
    feature: z.string().min(1).describe('Name of the fork feature, shown when its guard fails.'),
    files: z.array(repoFile).default([]).describe('Files that must exist after the sync.'),
    patterns: z.array(guardPatternSchema).default([]).describe('Literal or regex patterns that must still match.'),
  })
  .strict();

export const guardsSchema = z
  .array(featureGuardSchema)
  .default([])
  .describe(
    'Feature guards: per fork feature, files and patterns that must still match after a sync; a failing guard blocks Approve & merge like a dropped fork hunk.',
  );

export const guardsFileSchema = repoFile
  .optional()
  .describe(
    "More feature guards kept in the fork, read at the production head (e.g. .github/carto-features.yml): `guards: [{feature, files, patterns}]` or CARTO's `features: [{name, verification: [{pattern, file}]}]` (grep basic regex); a file that does not parse fails as a guard.",
  );
