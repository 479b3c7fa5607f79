import type { Command } from 'commander';
import { createProbes } from '../main.js';
import { checkLine, type CheckResult } from '../preflight/check.js';
import { preflight } from '../preflight/preflight.js';
import { loadCliContext } from './cli-context.js';
import { EXIT_FAILED, EXIT_OK, withConfig, type CliIo } from './shared.js';

// `upstream-sync doctor`: the preflight checks `start` runs, one line each (✓ ok, ✗ problem with
// what to do, – not checked and why), or --json. Exit 0 when nothing is wrong, 1 when something
// is, 2 when the config itself cannot be loaded (its problems are printed as by every command).

export async function doctorCommand(
  opts: { config: string; json?: boolean },
  io: CliIo,
  source: NodeJS.ProcessEnv = process.env,
): Promise<number> {
  const ctx = await loadCliContext(opts, io, source);
  if (typeof ctx === 'number') return ctx;
  const checks = await runDoctor(ctx.config, opts.config, ctx.env, false);
  const failed = checks.filter((c) => c.status === 'fail');
  if (opts.json) io.stdout(JSON.stringify({ ok: failed.length === 0, checks }));
  else {
    for (const c of checks) io.stdout(checkLine(c));
    io.stdout(failed.length === 0 ? 'all good' : `${failed.length} problem${failed.length === 1 ? '' : 's'}`);
  }
  return failed.length === 0 ? EXIT_OK : EXIT_FAILED;
}

export function runDoctor(
  config: Parameters<typeof preflight>[0]['config'],
  configFile: string,
  env: Parameters<typeof preflight>[0]['env'],
  requireSlack: boolean,
): Promise<CheckResult[]> {
  return preflight({ config, configFile, env, ...createProbes(env, config), requireSlack });
}

export function registerDoctorCommand(program: Command, io: CliIo, setExit: (code: number) => void): void {
  withConfig(
    program
      .command('doctor')
      .description(
        'check config, git, the data directory, the database, GitHub and Slack credentials, permissions and channel membership; each problem says what to do',
      )
      .option('--json', 'one JSON object: {ok, checks: [{id, status: ok|fail|skip, title, detail, fix?, fatal}]}'),
  ).action(async (opts: { config: string; json?: boolean }) => setExit(await doctorCommand(opts, io)));
}
