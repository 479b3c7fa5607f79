import type { Command } from 'commander';
import { ConfigError, formatProblem, loadConfig } from '../config/load.js';
import { configReference } from '../config/reference.js';
import { SCHEMA_FILE, configJsonSchema } from '../config/json-schema.js';
import { EXIT_OK, EXIT_USAGE, withConfig, type CliIo } from './shared.js';
import { plural } from '../core/plural.js';

export async function configCheck(file: string, io: CliIo, json: boolean): Promise<number> {
  try {
    const config = await loadConfig(file);
    if (json) io.stdout(JSON.stringify({ ok: true, file, pipelines: config.pipelines.map((p) => p.id) }));
    else
      io.stderr(
        `${file}: ok (${plural(config.pipelines.length, 'pipeline')}: ${config.pipelines.map((p) => p.id).join(', ')})`,
      );
    return EXIT_OK;
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    if (json) io.stdout(JSON.stringify({ ok: false, file, problems: err.problems }));
    else {
      io.stderr(`${file}: ${plural(err.problems.length, 'problem')}`);
      for (const p of err.problems) io.stderr(formatProblem(p));
    }
    return EXIT_USAGE;
  }
}

export function registerConfigCommands(program: Command, io: CliIo, setExit: (code: number) => void): void {
  const config = program.command('config').description('work with the configuration file');
  withConfig(config.command('check').description('validate the configuration and print every problem with its path'))
    .option('--json', 'print the result as JSON on stdout')
    .action(async (opts: { config: string; json?: boolean }) =>
      setExit(await configCheck(opts.config, io, Boolean(opts.json))),
    );
  config
    .command('reference')
    .description('print every configuration key with its type, default and meaning (Markdown)')
    .action(() => io.stdout(configReference()));
  config
    .command('schema')
    .description(`print the JSON Schema of the configuration file (editor completion; committed as ${SCHEMA_FILE})`)
    .action(() => io.stdout(configJsonSchema().trimEnd()));
}
