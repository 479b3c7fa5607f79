import { Command, CommanderError } from 'commander';
import { registerAuditCommand } from './audit.js';
import { registerBenchCommands } from './bench-conflicts.js';
import { registerConfigCommands } from './config-check.js';
import { registerDoctorCommand } from './doctor.js';
import { registerHealthcheckCommand } from './healthcheck.js';
import { registerDemoCommand } from './demo.js';
import { registerLedgerCommand } from './ledger.js';
import { registerReleaseCommand } from './release.js';
import { registerResolveCommand } from './resolve.js';
import { registerFixCiCommand } from './fix-ci.js';
import { registerSkipCommands } from './skip.js';
import { registerStartCommand } from './start.js';
import { registerStatusCommand } from './status.js';
import { registerMirrorCommands } from './mirror.js';
import { registerSyncCommand } from './sync.js';
import { EXIT_FAILED, EXIT_USAGE, processIo, type CliIo } from './shared.js';
import { isAppError, errorMessage } from '../errors.js';
import { readFileSync } from 'node:fs';
import { helpAfter } from './help-text.js';
import { setProgress } from './progress.js';

/** package.json's version (two levels up from src/cli and from dist/cli alike). */
function packageVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
      version?: string;
    };
    return pkg.version ?? '0.0.0';
  } catch {
    return '0.0.0';
  }
}

export function buildProgram(io: CliIo, setExit: (code: number) => void): Command {
  const program = new Command('upstream-sync')
    .description("Keeps a fork in step with upstream stable releases and cuts the fork's own releases.")
    .exitOverride()
    // Help and --version are what was asked for: stdout. Errors go to stderr.
    .configureOutput({ writeOut: (s) => io.stdout(s.trimEnd()), writeErr: (s) => io.stderr(s.trimEnd()) })
    .version(packageVersion(), '-V, --version', 'print the version')
    .option('--progress', 'progress lines on stderr for long work (default: when stderr is a terminal)')
    .showHelpAfterError();
  program.hook('preAction', () => setProgress(Boolean(program.opts().progress) || process.stderr.isTTY === true));
  registerConfigCommands(program, io, setExit);
  registerSyncCommand(program, io, setExit);
  registerStatusCommand(program, io, setExit);
  registerSkipCommands(program, io, setExit);
  registerReleaseCommand(program, io, setExit);
  registerStartCommand(program, io, setExit);
  registerDoctorCommand(program, io, setExit);
  registerHealthcheckCommand(program, io, setExit);
  registerBenchCommands(program, io, setExit);
  registerResolveCommand(program, io, setExit);
  registerFixCiCommand(program, io, setExit);
  registerMirrorCommands(program, io, setExit);
  registerDemoCommand(program, io, setExit);
  registerLedgerCommand(program, io, setExit);
  registerAuditCommand(program, io, setExit);
  for (const command of program.commands) {
    command.addHelpText('after', helpAfter(command.name()));
    command.configureOutput({ writeOut: (s) => io.stdout(s.trimEnd()), writeErr: (s) => io.stderr(s.trimEnd()) });
  }
  program.addHelpText(
    'after',
    "\nExamples:\n  $ upstream-sync doctor\n  $ upstream-sync status\n  $ upstream-sync start --config upstream-sync.yml\n\nEach command's --help lists the environment variables it reads.",
  );
  return program;
}

/** Runs the CLI and resolves with the exit code: 0 ok, 1 a job failed, 2 usage or configuration error. */
export async function runCli(argv: string[], io: CliIo = processIo): Promise<number> {
  let code = 0;
  const program = buildProgram(io, (c) => {
    code = c;
  });
  try {
    await program.parseAsync(argv, { from: 'user' });
    return code;
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help and --version also end here, with exit code 0.
      return err.exitCode === 0 ? 0 : EXIT_USAGE;
    }
    io.stderr(`error: ${errorMessage(err)}`);
    return isAppError(err, 'usage') || isAppError(err, 'config_invalid') ? EXIT_USAGE : EXIT_FAILED;
  }
}
