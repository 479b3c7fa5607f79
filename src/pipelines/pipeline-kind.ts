import type { Logger } from 'pino';
import type { PipelineKind } from '../config/schema.js';
import type { Actor } from '../ports.js';
import type { JobContext } from '../ports/jobs.js';

// How a pipeline kind plugs into the one engine. release-sync predates this seam and is wired
// directly; every other kind is one folder under src/pipelines/<kind>/ exporting a
// PipelineKindModule, registered with one line in main.ts. The scheduler, Slack `sync`, the CLI
// `sync` and webhooks all enqueue the same `sync` job (dedupe key `sync:<pipeline>`); its handler
// hands pipelines of other kinds to their module.

/** Options a person may give a run: each kind reads its own and ignores the rest. */
export interface KindRunOptions {
  /** mirror: force a diverged target onto the source (with a lease on the reported head). */
  force?: boolean;
  /** mirror: propose a merge of the source into the target through a PR instead of forcing. */
  merge?: boolean;
  /** dispatch: the source commit to start from when nothing was processed yet. */
  since?: string;
  /** Suppress Slack for this run. */
  silent?: boolean;
}

/** Data of a `sync` job for a pipeline of another kind. */
export interface KindJobData extends KindRunOptions {
  pipeline: string;
}

/** Every kind's result shares these fields; the rest is the kind's own contract (see README). */
export interface KindResult {
  pipeline: string;
  kind: PipelineKind;
  outcome: string;
  dryRun: boolean;
  /** The run was not done, on purpose: a person or the state says why (`refused` outcome). */
  refused?: { reason: string; message: string };
  /** The run broke (`failed` outcome). */
  error?: { code: string; message: string } | null;
}

export interface PipelineKindModule<R extends KindResult = KindResult> {
  kind: Exclude<PipelineKind, 'release-sync'>;
  /** The `sync` job's body for this kind: every effect inside ctx.step, looked-before-acted. */
  run(ctx: JobContext<KindJobData>): Promise<R>;
  /** Decides exactly what `run` would do, with zero mutating requests. */
  dryRun(input: { pipeline: string; options: KindRunOptions; log: Logger; requestedBy: Actor }): Promise<R>;
  /** One human line for the CLI. */
  describe(result: R): string;
  /** The CLI's exit code for this result (0 ok, 1 failed). */
  exitCode(result: R): number;
  /** The result line for a sync job that ended without a result (failed or cancelled). */
  failed(pipeline: string, error: { code: string; message: string }): R;
  /** `status`: what is true now (read-only), saying how old each remembered fact is. */
  status(pipeline: string): Promise<KindStatus>;
  /** `status` for people: the lines the CLI prints (Slack renders the same facts). */
  describeStatus(status: KindStatus): string[];
}

/** A kind's `status` answer: one JSON line per pipeline in the CLI; the rest is the kind's own. */
export interface KindStatus {
  pipeline: string;
  kind: PipelineKind;
  /** One word for the state, e.g. up-to-date, behind, diverged, failing. */
  state: string;
  /** GitHub could not be read: the facts are the remembered ones. */
  stale?: boolean;
  [fact: string]: unknown;
}

export type KindModules = ReadonlyMap<PipelineKind, PipelineKindModule>;
