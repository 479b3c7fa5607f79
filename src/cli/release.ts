import { actorName, count } from '../core/wording.js';
import { readFile } from 'node:fs/promises';
import { Option, type Command } from 'commander';
import { errorMessage } from '../errors.js';
import { REQUESTED_BUMPS, type RequestedBump } from '../core/release/fork-version.js';
import { planRelease, type PlanReleaseResult } from '../workflows/release/release-plan.js';
import { type ReleaseJobResult } from '../workflows/release/release.js';
import { loadCliContext, onePipeline } from './cli-context.js';
import { awaitJob } from './job-report.js';
import { runCliJob } from './run-cli-job.js';
import { EXIT_OK, EXIT_USAGE, withConfig, type CliIo } from './shared.js';
import { releaseJobInput } from '../jobs/job-kinds.js';

// `upstream-sync release`: the Slack "Release" button from a terminal. --dry-run plans only (the
// tag and notes the release would have) and changes nothing; otherwise the release job runs on
// the durable runner (same dedupe key and lock as from Slack) and the command waits for it.

export interface ReleaseCommandOptions {
  config: string;
  bump: RequestedBump;
  pipeline?: string;
  dryRun?: boolean;
  json?: boolean;
  /** A commit on production to release instead of its head (sha, full or abbreviated). */
  commit?: string;
  /** Release notes written by a person, replacing the generated ones. */
  notesFile?: string;
}

/** GitHub refuses release bodies longer than this. */
const MAX_NOTES = 125_000;

/** The notes file's text, or the problem with it (a usage error: nothing was started). */
async function readNotes(file: string): Promise<{ notes: string } | { problem: string }> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    return {
      problem: `cannot read the notes file ${file}: ${(err as NodeJS.ErrnoException).code ?? errorMessage(err)}`,
    };
  }
  if (!text.trim())
    return {
      problem: `the notes file ${file} is empty: write the notes, or leave out --notes-file for generated ones`,
    };
  if (text.length > MAX_NOTES)
    return { problem: `the notes file ${file} has ${text.length} characters; GitHub accepts ${MAX_NOTES} at most` };
  return { notes: text };
}

function describePlan(result: PlanReleaseResult): string[] {
  if (result.kind === 'released')
    return [`${result.pipeline}: ${result.tag} is already on ${result.sha.slice(0, 12)}; nothing to release`];
  const p = result.plan;
  const lines = [
    `${p.pipeline}: would tag ${p.tag} on ${p.branch} at ${p.sha.slice(0, 12)} (${p.bump}${p.requestedBump === 'auto' ? ', from the commits' : ''}; previous ${p.previous?.tag ?? 'none'})`,
    `upstream ${p.upstream}${p.previousUpstream && p.previousUpstream !== p.upstream ? ` (was ${p.previousUpstream})` : ''}; ${count(p.commitCount, 'commit')}, ${p.forkCommitCount} of the fork`,
  ];
  if (p.image)
    lines.push(
      `then dispatch ${p.image.workflow} on ${p.image.ref} with ${p.image.input}=${p.tag}; image tags: ${p.image.tags.join(', ')}`,
    );
  for (const w of p.warnings) lines.push(`warning: ${w}`);
  lines.push('', p.notes.trimEnd());
  return lines;
}

function describeResult(r: ReleaseJobResult): string {
  if (r.outcome === 'already-released') return `${r.tag} is already released; nothing to do`;
  const parts = [`released ${r.tag} at ${r.sha.slice(0, 12)}`];
  if (r.release) parts.push(r.release.url);
  if (r.dispatched) parts.push(`dispatched ${r.dispatched.workflow} on ${r.dispatched.ref}`);
  return parts.join('; ');
}

export async function releaseCommand(
  opts: ReleaseCommandOptions,
  io: CliIo,
  source: NodeJS.ProcessEnv = process.env,
): Promise<number> {
  const ctx = await loadCliContext(opts, io, source);
  if (typeof ctx === 'number') return ctx;
  const chosenPipeline = onePipeline(ctx, io);
  if (!chosenPipeline) return EXIT_USAGE;
  const pipeline = chosenPipeline.id;
  if (opts.commit !== undefined && !/^[0-9a-f]{7,40}$/i.test(opts.commit)) {
    io.stderr(
      `error: --commit takes a commit sha (7 to 40 hex digits), not ${JSON.stringify(opts.commit.slice(0, 80))}`,
    );
    return EXIT_USAGE;
  }
  const read = opts.notesFile === undefined ? null : await readNotes(opts.notesFile);
  if (read && 'problem' in read) {
    io.stderr(`error: ${read.problem}`);
    return EXIT_USAGE;
  }
  const notes = read?.notes;
  const chosen = {
    ...(opts.commit === undefined ? {} : { commit: opts.commit }),
    ...(notes === undefined ? {} : { notes }),
  };
  return runCliJob(ctx, opts, io, { kind: 'release', fields: { pipeline } }, async ({ dryRun, services, print }) => {
    if (dryRun) {
      const planned = await planRelease(services, {
        pipeline,
        bump: opts.bump,
        ...(chosen.commit ? { commit: chosen.commit } : {}),
      });
      // The preview shows the notes that would ship: the person's, when they wrote them.
      const result =
        planned.kind === 'ready' && notes !== undefined ? { ...planned, plan: { ...planned.plan, notes } } : planned;
      const notesSource = notes === undefined ? 'generated' : 'manual';
      print(
        result.kind === 'ready'
          ? { ok: true, outcome: 'planned', tag: result.plan.tag, notesSource, plan: result.plan }
          : { ok: true, outcome: 'already-released', tag: result.tag, sha: result.sha },
        describePlan(result),
      );
      return EXIT_OK;
    }
    const { job, created } = await services.runner.enqueue(
      releaseJobInput({ pipeline, bump: opts.bump, ...chosen }, ctx.actor),
    );
    const asked = job.data;
    if (!created && (asked.bump !== opts.bump || asked.commit !== chosen.commit || asked.notes !== chosen.notes)) {
      // One release per pipeline at a time: waiting for another person's would report it as ours.
      const message = `a release of ${pipeline} is already ${job.state} (job ${job.id}, asked for by ${actorName(job.requestedBy)}) with other settings; ask again when it has finished`;
      print({ ok: false, jobId: job.id, outcome: 'refused', message }, [message]);
      return EXIT_OK;
    }
    return await awaitJob<ReleaseJobResult>(services, job.id, 'release', print, (r) => {
      print({ ok: true, jobId: job.id, ...r }, [describeResult(r)]);
      return EXIT_OK;
    });
  });
}

export function registerReleaseCommand(program: Command, io: CliIo, setExit: (code: number) => void): void {
  withConfig(
    program
      .command('release')
      .description('cut a release of the fork: next tag, notes, annotated tag, GitHub release, image build'),
  )
    .addOption(
      new Option(
        '-b, --bump <bump>',
        'patch, minor, major, or auto (from conventional commits since the previous release)',
      )
        .choices([...REQUESTED_BUMPS])
        .makeOptionMandatory(),
    )
    .option('-p, --pipeline <id>', 'the pipeline (needed when there are several)')
    .option(
      '--commit <sha>',
      'release this commit (it must be reachable from the production branch) instead of the production head',
    )
    .option('--notes-file <file>', 'release notes written by a person (Markdown), used instead of the generated ones')
    .option('--dry-run', 'show the tag and notes; tag, release and dispatch nothing')
    .option('--json', 'one JSON object on stdout; logs stay on stderr')
    .action(async (opts: ReleaseCommandOptions) => setExit(await releaseCommand(opts, io)));
}
