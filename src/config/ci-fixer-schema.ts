import { z } from 'zod';

// `ci.fixer`: the bounded CI fixer (src/workflows/fix-ci). It is on by default but does nothing
// without an LLM (llm.enabled and ANTHROPIC_API_KEY): then the card says the fixer is off.

export const ciFixerSchema = z
  .object({
    enabled: z
      .boolean()
      .default(true)
      .describe(
        'Propose one reviewable fix when a check fails on an open sync PR. Off without an LLM (llm.enabled and ANTHROPIC_API_KEY).',
      ),
    maxAttemptsPerPr: z
      .number()
      .int()
      .min(1)
      .max(10)
      .default(3)
      .describe('Fix attempts per sync PR (at most one per head commit); then the card asks a person.'),
    allowPaths: z
      .array(z.string().min(1))
      .default(['**'])
      .describe('Globs (picomatch) a patch may touch; a patch touching any other path is refused.'),
    denyPaths: z
      .array(z.string().min(1))
      .default(['.github/workflows/**'])
      .describe('Globs (picomatch) a patch may never touch, whatever allowPaths says.'),
    maxPatchLines: z
      .number()
      .int()
      .min(1)
      .max(5000)
      .default(300)
      .describe('Largest patch accepted, counted as added plus removed lines.'),
    maxLogBytes: z
      .number()
      .int()
      .min(1000)
      .max(200_000)
      .default(16_000)
      .describe(
        'Byte bound of the failing jobs’ log excerpts sent to the LLM (error lines with context, then the tail).',
      ),
  })
  .strict()
  .describe('The bounded CI fixer.');

export const ciSchema = z
  .object({ fixer: ciFixerSchema.default(() => ciFixerSchema.parse({})) })
  .strict()
  .describe('What happens when CI fails on a sync PR.');

export type CiFixerConfig = z.output<typeof ciFixerSchema>;
