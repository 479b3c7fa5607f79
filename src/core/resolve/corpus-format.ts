import { z } from 'zod';
import type { ConflictLabels } from './conflict-text.js';
import type { ParentOrder } from './sides.js';

// The two conflict corpora `bench conflicts` reads, and only the part of them a real sync knows.
// Every case.json key is allow-listed: answer keys (classification, fork_customized, resolver,
// landed*, final*, resolved*, hunk_resolutions) never reach the resolver, whatever a corpus adds.
//
// fork-sync: `upstream`/`fork`/`base`/`conflicted` named by the sync itself, upstream first in the
// markers (the sync branch starts at the release and production is merged into it).
// conflicts: `ours`/`theirs` in parent order; which parent is the main line (our "upstream") comes
// from `mainline_parent`, else from the merge's subject, never from "the first parent" by habit.

export type CorpusFormat = 'fork-sync' | 'conflicts';

const historyEntry = z.object({
  commit: z.string(),
  blob: z.string().nullable().optional(),
  stored: z.boolean().optional(),
});

const forkCommit = z.object({
  commit: z.string(),
  upstream_commit: z.boolean(),
  sync_commit: z.boolean(),
  subject: z.string().optional(),
});

/** What a fork-sync case.json may tell the resolver. */
export const forkSyncCaseSchema = z.object({
  id: z.string(),
  path: z.string(),
  ext: z.string(),
  sync_merge: z.string().optional(),
  conflict_type: z.string().optional(),
  build_output: z.boolean().optional(),
  upstream_parent_index: z.union([z.literal(1), z.literal(2)]),
  fork_blob: z.string().nullable().optional(),
  upstream_blob: z.string().nullable().optional(),
  fork_history: z.array(forkCommit).nullable().optional(),
  upstream_history: z.array(historyEntry).nullable().optional(),
});
export type ForkSyncCase = z.infer<typeof forkSyncCaseSchema>;

/** What a conflicts case.json may tell the resolver. */
export const conflictsCaseSchema = z.object({
  id: z.string(),
  path: z.string(),
  ext: z.string(),
  merge: z.string().optional(),
  subject: z.string().optional(),
  date: z.string().optional(),
  mainline_parent: z
    .union([z.literal(1), z.literal(2)])
    .nullable()
    .optional(),
});
export type ConflictsCase = z.infer<typeof conflictsCaseSchema>;

/** Only these keys of a case.json are ever handed to a schema: the rest may be answers. */
const ALLOWED = new Set([...Object.keys(forkSyncCaseSchema.shape), ...Object.keys(conflictsCaseSchema.shape), 'date']);

export function allowedKeys(raw: unknown): Record<string, unknown> {
  if (typeof raw !== 'object' || raw === null) return {};
  return Object.fromEntries(Object.entries(raw).filter(([k]) => ALLOWED.has(k)));
}

export interface CaseOrientation {
  /** Names of the files holding the sides. */
  files: { upstream: string; fork: string };
  /** How the conflicted file's markers are labelled, first to second. */
  labels: ConflictLabels;
  /** Which side comes first in the markers: a union keeps that order. */
  order: ParentOrder;
  /** Why this orientation, for the bench output. */
  method: string;
}

export type Oriented = { ok: true; orientation: CaseOrientation } | { ok: false; reason: string };

export const FORK_SYNC_LABELS: ConflictLabels = { first: 'upstream', base: 'base', second: 'fork' };
export const CONFLICTS_LABELS: ConflictLabels = { first: 'ours', base: 'base', second: 'theirs' };

/** Main line from a merge subject when the corpus did not decide it; null when it cannot be told. */
export function mainlineFromSubject(subject: string | undefined): 1 | 2 | null {
  if (!subject) return null;
  const main = String.raw`(?:origin\/|upstream\/)?(?:main|master|develop|litellm_[\w.-]*stable[\w.-]*|v\d[\w.-]*)`;
  if (new RegExp(`^Merge (?:remote-tracking )?branch '${main}'(?: of \\S+)? into `).test(subject)) return 2;
  if (/^Merge pull request #\d+ from /.test(subject)) return 1;
  if (new RegExp(`^Merge (?:remote-tracking )?branch '[^']+'(?: of \\S+)? into ${main}$`).test(subject)) return 1;
  return null;
}

export function orientForkSync(c: ForkSyncCase): Oriented {
  return {
    ok: true,
    orientation: {
      files: { upstream: 'upstream', fork: 'fork' },
      labels: FORK_SYNC_LABELS,
      order: 'upstream-first',
      method: `sides named by the sync (upstream was parent ${c.upstream_parent_index})`,
    },
  };
}

export function orientConflicts(c: ConflictsCase): Oriented {
  const fromCorpus = c.mainline_parent ?? null;
  const mainline = fromCorpus ?? mainlineFromSubject(c.subject);
  if (mainline === null)
    return { ok: false, reason: 'main line undecided: no mainline_parent and the merge subject does not tell' };
  const method = fromCorpus !== null ? 'mainline_parent' : 'merge subject';
  return {
    ok: true,
    orientation:
      mainline === 1
        ? { files: { upstream: 'ours', fork: 'theirs' }, labels: CONFLICTS_LABELS, order: 'upstream-first', method }
        : { files: { upstream: 'theirs', fork: 'ours' }, labels: CONFLICTS_LABELS, order: 'fork-first', method },
  };
}

/** Which format a case folder is in, from the side files it holds; null when neither. */
export function formatOfFiles(names: readonly string[], ext: string): CorpusFormat | null {
  const has = (n: string) => names.includes(`${n}.${ext}`);
  if ((has('upstream') || has('fork')) && names.includes('case.json')) return 'fork-sync';
  if (has('ours') || has('theirs')) return 'conflicts';
  return null;
}

/**
 * The fork's own commits on the path since the merge base: neither a cherry-pick of an upstream
 * commit nor a sync merge. Where there are any, the fork customised the file on purpose.
 */
export function forkOwnCommits(history: readonly z.infer<typeof forkCommit>[] | null | undefined): string[] {
  return (history ?? []).filter((h) => !h.upstream_commit && !h.sync_commit).map((h) => h.commit);
}
