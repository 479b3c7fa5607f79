import { spawn } from 'node:child_process';
import type { Command } from 'commander';
import { startDemoServer, type DemoServer } from '../demo/demo-server.js';
import { startDemoWorld, type DemoWorld } from '../demo/demo-world.js';
import { errorMessage } from '../errors.js';
import { EXIT_FAILED, EXIT_OK, EXIT_USAGE, type CliIo } from './shared.js';

// `upstream-sync demo`: the bot as `start` runs it, against local stand-ins for GitHub, Slack and
// Anthropic with generated repositories, and one page showing the channel and the repositories
// side by side. Nothing leaves the machine; everything lives in a temporary directory removed on exit.

export const DEFAULT_DEMO_PORT = 4780;

export interface DemoOptions {
  port?: string;
  open?: boolean;
}

export interface DemoRunOptions {
  /** Tests stop the demo with this instead of a signal. */
  stop?: AbortSignal;
  onReady?: (url: string) => void;
  source?: NodeJS.ProcessEnv;
}

function parsePort(value: string | undefined): number | null {
  if (value === undefined) return DEFAULT_DEMO_PORT;
  if (!/^\d+$/.test(value) || Number(value) > 65535) return null;
  return Number(value);
}

function openBrowser(url: string): void {
  const [cmd, args] =
    process.platform === 'darwin'
      ? ['open', [url]]
      : process.platform === 'win32'
        ? ['cmd', ['/c', 'start', '', url]]
        : ['xdg-open', [url]];
  try {
    const child = spawn(cmd, args, { stdio: 'ignore', detached: true });
    child.on('error', () => undefined);
    child.unref();
  } catch {
    // No browser opener here: the URL is printed anyway.
  }
}

async function listen(world: DemoWorld, port: number, explicit: boolean): Promise<DemoServer> {
  try {
    return await startDemoServer(world, { port });
  } catch (err) {
    // The default port is a convenience: when it is taken, any free port will do.
    if (explicit || (err as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw err;
    return startDemoServer(world, { port: 0 });
  }
}

export async function demoCommand(opts: DemoOptions, io: CliIo, run: DemoRunOptions = {}): Promise<number> {
  const port = parsePort(opts.port);
  if (port === null) {
    io.stderr(`error: --port must be a number from 0 to 65535, got "${opts.port}"`);
    return EXIT_USAGE;
  }
  let world: DemoWorld | null = null;
  let server: DemoServer | null = null;
  try {
    world = await startDemoWorld({ source: run.source ?? process.env, stderr: io.stderr });
    server = await listen(world, port, opts.port !== undefined);
    io.stdout(server.url);
    io.stderr(`LLM: ${world.llm.detail}. Ctrl-C stops the demo and removes its temporary files.`);
    if (opts.open !== false) openBrowser(server.url);
    run.onReady?.(server.url);
    const stopped = new Promise<void>((resolve) => {
      if (run.stop?.aborted) resolve();
      run.stop?.addEventListener('abort', () => resolve(), { once: true });
    });
    // start's own SIGINT/SIGTERM handling ends the bot; the demo then takes everything else down.
    const code = await Promise.race([world.exited, stopped.then(() => EXIT_OK)]);
    return code;
  } catch (err) {
    io.stderr(`error: the demo could not start: ${errorMessage(err)}`);
    return EXIT_FAILED;
  } finally {
    await server?.close();
    await world?.stop();
  }
}

export function registerDemoCommand(program: Command, io: CliIo, setExit: (code: number) => void): void {
  program
    .command('demo')
    .description(
      'run the bot against local stand-ins for GitHub, Slack and Anthropic, and serve a page showing the channel and the repositories',
    )
    .option('--port <n>', `port of the page (default ${DEFAULT_DEMO_PORT}, or a free one when taken)`)
    .option('--no-open', 'print the URL without opening a browser')
    .action(async (opts: DemoOptions) => setExit(await demoCommand(opts, io)));
}
