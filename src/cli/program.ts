import { Command, CommanderError } from 'commander';
import { registerAuditCommand } from './audit.js';
import { registerBenchCommands } from './bench-conflicts.js';
import { registerConfigCommands } from './config-check.js';
import { registerDemoCommand } from './demo.js';
import { registerLedgerCommand } from './ledger.js';
import { registerReleaseCommand } from './release.js';
import { registerResolveCommand } from './resolve.js';
import { registerSkipCommands } from './skip.js';
import { registerStartCommand } from './start.js';
import { registerStatusCommand } from './status.js';
import { registerSyncCommand } from './sync.js';
import { EXIT_FAILED, EXIT_USAGE, processIo, type CliIo } from './shared.js';
import { isAppError, errorMessage } from '../errors.js';

export function buildProgram(io: CliIo, setExit: (code: number) => void): Command {
  const program = new Command('upstream-sync')
    .description("Keeps a fork in step with upstream stable releases and cuts the fork's own releases.")
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.stderr(s.trimEnd()), writeErr: (s) => io.stderr(s.trimEnd()) })
    .showHelpAfterError();
  registerConfigCommands(program, io, setExit);
  registerSyncCommand(program, io, setExit);
  registerStatusCommand(program, io, setExit);
  registerSkipCommands(program, io, setExit);
  registerReleaseCommand(program, io, setExit);
  registerStartCommand(program, io, setExit);
  registerBenchCommands(program, io, setExit);
  registerResolveCommand(program, io, setExit);
  registerDemoCommand(program, io, setExit);
  registerLedgerCommand(program, io, setExit);
  registerAuditCommand(program, io, setExit);
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
