// What a mirror run decides, from facts the git cache established. Pure: no I/O.

/** How the target branch stands against the source branch. */
export type MirrorState = 'up-to-date' | 'fast-forward' | 'target-ahead' | 'diverged';

/** `merge-pr`: the source merged into the target through a PR; `conflicts`: that merge waits for people. */
export type MirrorOutcome =
  | 'up-to-date'
  | 'fast-forwarded'
  | 'diverged'
  | 'target-ahead'
  | 'forced'
  | 'merge-pr'
  | 'conflicts'
  | 'refused'
  | 'failed';

/**
 * `targetSha` null: the target has no such branch yet, which a push creates (a fast-forward from
 * nothing). Ancestry is asked only when the heads differ.
 */
export function mirrorState(input: {
  sourceSha: string;
  targetSha: string | null;
  targetIsAncestorOfSource: boolean;
  sourceIsAncestorOfTarget: boolean;
}): MirrorState {
  if (input.targetSha === input.sourceSha) return 'up-to-date';
  if (input.targetSha === null || input.targetIsAncestorOfSource) return 'fast-forward';
  if (input.sourceIsAncestorOfTarget) return 'target-ahead';
  return 'diverged';
}

export interface TagFacts {
  name: string;
  /** The object the tag ref points at (the tag object when annotated). */
  sha: string;
}

export interface TagPlan {
  /** On the source, matching, missing on the target: pushed. */
  push: string[];
  /** On both, pointing at different objects: reported, never overwritten. */
  conflicting: string[];
}

/** Tags are compared by the object their refs point at; `matches` is the configured glob. */
export function planTags(
  source: readonly TagFacts[],
  target: readonly TagFacts[],
  matches: (name: string) => boolean,
): TagPlan {
  const onTarget = new Map(target.map((t) => [t.name, t.sha]));
  const push: string[] = [];
  const conflicting: string[] = [];
  for (const tag of source) {
    if (!matches(tag.name)) continue;
    const there = onTarget.get(tag.name);
    if (there === undefined) push.push(tag.name);
    else if (there !== tag.sha) conflicting.push(tag.name);
  }
  return { push: push.sort(), conflicting: conflicting.sort() };
}

/** What a force may do, given the last stored report and the target head seen now. */
export type ForceDecision =
  { kind: 'force'; lease: string } | { kind: 'refuse'; reason: 'nothing-to-force' | 'target-moved'; message: string };

export function decideForce(input: {
  lastReport: { state: MirrorState; targetSha: string | null; at: string } | null;
  targetSha: string | null;
  branch: string;
}): ForceDecision {
  const last = input.lastReport;
  if (!last || last.state !== 'diverged' || last.targetSha === null)
    return {
      kind: 'refuse',
      reason: 'nothing-to-force',
      message: last
        ? `nothing to force: the last report (${last.at}) says ${last.state}, not diverged`
        : 'nothing to force: there is no stored report of a divergence',
    };
  if (input.targetSha !== last.targetSha)
    return {
      kind: 'refuse',
      reason: 'target-moved',
      message: `the target ${input.branch} moved since the report of ${last.at} (${last.targetSha.slice(0, 12)} → ${input.targetSha?.slice(0, 12) ?? 'deleted'}): a new report was made; force again after reading it`,
    };
  return { kind: 'force', lease: last.targetSha };
}
