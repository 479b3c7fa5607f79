import { isAppError, toJobError } from '../errors.js';
import type { Services } from '../main.js';
import { EXIT_FAILED, EXIT_USAGE } from './shared.js';

// How a CLI command that runs a durable job reports it: one JSON object with --json, lines for
// people otherwise; a job that failed exits 1, a mistake of the caller's (usage) exits 2.

/** Prints `value` as JSON or `human` as lines, as the command's --json asks. */
export type Printer = (value: Record<string, unknown>, human: string[]) => void;

/** Runs the job on this process's runner, waits for its end, and reports a failure. */
export async function awaitJob<R>(
  services: Services,
  jobId: number,
  what: string,
  print: Printer,
  succeeded: (result: R) => number,
): Promise<number> {
  services.runner.start();
  const done = await services.runner.waitFor(jobId);
  if (done.state === 'succeeded') return succeeded(done.result as R);
  const error = done.error ?? { code: 'internal', message: `job ${jobId} ended ${done.state}` };
  print({ ok: false, jobId, outcome: 'failed', error }, [
    `${what} failed (job ${jobId}): ${error.code}: ${error.message}`,
  ]);
  // Some mistakes (a commit not on production) are found only once the job has fetched.
  return error.code === 'usage' ? EXIT_USAGE : EXIT_FAILED;
}

/** Reports an error thrown before or around the job. */
export function reportCliError(err: unknown, print: Printer): number {
  const error = toJobError(err);
  print({ ok: false, outcome: 'failed', error }, [`error: ${error.code}: ${error.message}`]);
  return isAppError(err, 'usage') || isAppError(err, 'config_invalid') ? EXIT_USAGE : EXIT_FAILED;
}
