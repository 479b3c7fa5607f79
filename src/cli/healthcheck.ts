import type { Command } from 'commander';
import { ConfigError, formatProblem, loadConfig } from '../config/load.js';
import { errorMessage } from '../errors.js';
import { EXIT_FAILED, EXIT_OK, EXIT_USAGE, withConfig, type CliIo } from './shared.js';

// `upstream-sync healthcheck`: asks the running bot's /healthz on the port the config gives it
// (web.host/web.port), so the Docker HEALTHCHECK follows web.port instead of a hard-coded 3000.
// Exit 0 healthy, 1 not (or not answering within 4 s), 2 config unreadable.

export async function healthcheckCommand(opts: { config: string }, io: CliIo): Promise<number> {
  let url: string;
  try {
    const { web } = await loadConfig(opts.config);
    // A bot listening on every interface answers on loopback.
    const host = web.host === '0.0.0.0' || web.host === '::' ? '127.0.0.1' : web.host;
    url = `http://${host.includes(':') ? `[${host}]` : host}:${web.port}/healthz`;
  } catch (err) {
    if (err instanceof ConfigError) for (const p of err.problems) io.stderr(`${err.file}: ${formatProblem(p)}`);
    else io.stderr(`error: ${errorMessage(err)}`);
    return EXIT_USAGE;
  }
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(4_000) });
    io.stdout(`${url}: ${res.status} ${await res.text()}`);
    return res.ok ? EXIT_OK : EXIT_FAILED;
  } catch (err) {
    io.stdout(`${url}: no answer (${errorMessage((err as { cause?: unknown }).cause ?? err)})`);
    return EXIT_FAILED;
  }
}

export function registerHealthcheckCommand(program: Command, io: CliIo, setExit: (code: number) => void): void {
  withConfig(
    program
      .command('healthcheck')
      .description("ask the running bot's /healthz at web.host:web.port (Docker HEALTHCHECK)"),
  ).action(async (opts: { config: string }) => setExit(await healthcheckCommand(opts, io)));
}
