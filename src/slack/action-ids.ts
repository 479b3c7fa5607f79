import { z } from 'zod';

// action_id of every interactive element, and the value it carries. Values are parsed with zod
// on the way back in: they round-trip through Slack, so they are treated like any other input.

export const ACTION_IDS = {
  approve: 'us_approve',
  resolve: 'us_resolve',
  retry: 'us_retry',
  /** Pipelines of other kinds: run again, retrying what failed (dispatch: the failed subscribers). */
  rerun: 'us_rerun',
  skip: 'us_skip',
  releasePatch: 'us_release_patch',
  releaseMinor: 'us_release_minor',
  releaseMajor: 'us_release_major',
  hunkUpstream: 'us_hunk_upstream',
  hunkFork: 'us_hunk_fork',
  // URL buttons: Slack still sends an interaction, which must be acked.
  viewPr: 'us_view_pr',
  viewChanges: 'us_view_changes',
  viewRelease: 'us_view_release',
  hunkOpen: 'us_hunk_open',
  /** A dropped fork hunk of the ledger: the team lets it go (access: approve). */
  acceptDrop: 'us_ledger_accept',
  /** A dropped fork hunk of the ledger: the resolver applies the fork's side again (access: resolve). */
  restoreFork: 'us_ledger_restore',
  mirrorForce: 'us_mirror_force',
  mirrorRollback: 'us_mirror_rollback',
  /** A diverged mirror: merge the source into the target through a PR (issue 25). */
  mirrorMerge: 'us_mirror_merge',
  mirrorCompare: 'us_mirror_compare',
  /** "Try the CI fixer again": one more attempt past the fixer's bounds. */
  ciFixAgain: 'us_ci_fix_again',
} as const;

export type ActionId = (typeof ACTION_IDS)[keyof typeof ACTION_IDS];

export const URL_ACTION_IDS: readonly string[] = [
  ACTION_IDS.viewPr,
  ACTION_IDS.viewChanges,
  ACTION_IDS.viewRelease,
  ACTION_IDS.hunkOpen,
  ACTION_IDS.mirrorCompare,
];

export const RELEASE_MODAL_CALLBACK = 'us_release_modal';

export const BUMPS = ['patch', 'minor', 'major'] as const;
export type Bump = (typeof BUMPS)[number];

export const RELEASE_ACTION_BY_BUMP: Record<Bump, ActionId> = {
  patch: ACTION_IDS.releasePatch,
  minor: ACTION_IDS.releaseMinor,
  major: ACTION_IDS.releaseMajor,
};

const valueSchema = z
  .object({
    /** pipeline id */
    p: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,62}$/),
    /** upstream tag of the sync */
    t: z.string().min(1).max(255).optional(),
    /** pull request number */
    pr: z.number().int().positive().optional(),
    /** job id (Retry) */
    j: z.number().int().positive().optional(),
    /** hunk id */
    h: z.string().min(1).max(200).optional(),
  })
  .strict();

export type ActionValue = z.output<typeof valueSchema>;

export function encodeValue(value: ActionValue): string {
  return JSON.stringify(value);
}

function parseJsonWith<T>(schema: z.ZodType<T>, raw: string | undefined, maxLength: number): T | null {
  if (!raw || raw.length > maxLength) return null;
  try {
    const parsed = schema.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** The parsed value, or null when it is not one of ours. */
export function decodeValue(raw: string | undefined): ActionValue | null {
  return parseJsonWith(valueSchema, raw, 2000);
}

const modalMetadataSchema = z
  .object({
    p: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,62}$/),
    bump: z.enum(BUMPS),
    /** The tag the preview showed; the release job refuses if the plan moved since. */
    tag: z.string().min(1).max(255),
    channel: z
      .string()
      .regex(/^[CGD][A-Z0-9]+$/)
      .nullable(),
  })
  .strict();

export type ReleaseModalMetadata = z.output<typeof modalMetadataSchema>;

export function encodeModalMetadata(meta: ReleaseModalMetadata): string {
  return JSON.stringify(meta);
}

export function decodeModalMetadata(raw: string | undefined): ReleaseModalMetadata | null {
  return parseJsonWith(modalMetadataSchema, raw, 3000);
}
