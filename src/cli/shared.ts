import type { Command } from 'commander';
import { AppError } from '../errors.js';

export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;

export const DEFAULT_CONFIG = './upstream-sync.yml';

/** Adds the --config option every command that reads configuration shares. */
export function withConfig(command: Command): Command {
  return command.option('-c, --config <file>', 'configuration file', DEFAULT_CONFIG);
}

/** Output sinks; --json output goes to stdout only, everything for people to stderr. */
export interface CliIo {
  stdout: (line: string) => void;
  stderr: (line: string) => void;
}

export const processIo: CliIo = {
  stdout: (line) => process.stdout.write(`${line}\n`),
  stderr: (line) => process.stderr.write(`${line}\n`),
};

export function usageError(message: string): AppError {
  return new AppError('usage', message);
}
