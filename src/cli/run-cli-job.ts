import type { Services } from '../main.js';
import { cliServices, type CliContext } from './cli-context.js';
import { reportCliError, type Printer } from './job-report.js';
import type { CliIo } from './shared.js';

// What a command that runs one durable job (or, with --dry-run, only previews it) needs around
// its own work: services with that job kind registered, one printer for --json and for people,
// errors reported the same way, and the services closed however it ends.

export interface CliJobRun {
  dryRun: boolean;
  services: Services;
  print: Printer;
}

export async function runCliJob(
  ctx: CliContext,
  opts: { dryRun?: boolean; json?: boolean },
  io: CliIo,
  /** `fields` lead every JSON object printed (before `dryRun` and the value's own). */
  job: { kind: string; fields: Record<string, unknown> },
  body: (run: CliJobRun) => Promise<number>,
): Promise<number> {
  const dryRun = Boolean(opts.dryRun);
  const services = cliServices(ctx, { dryRun, jobKinds: dryRun ? [] : [job.kind] });
  const print: Printer = (value, human) =>
    opts.json ? io.stdout(JSON.stringify({ ...job.fields, dryRun, ...value })) : human.forEach((l) => io.stdout(l));
  try {
    return await body({ dryRun, services, print });
  } catch (err) {
    return reportCliError(err, print);
  } finally {
    await services.close();
  }
}
