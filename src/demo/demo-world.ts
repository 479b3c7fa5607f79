import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { startCommand } from '../cli/start.js';
import { AnthropicSandbox } from '../sandbox/anthropic/anthropic-sandbox.js';
import { GitHubSandbox } from '../sandbox/github/github-sandbox.js';
import { startSlackSandbox, type SlackSandbox } from '../sandbox/slack/slack-sandbox.js';
import {
  CHANNEL,
  DEMO_CONFIG,
  PEOPLE,
  publishUpstreamRelease,
  scriptDemoLlm,
  seedDemoMemory,
  seedDemoRepos,
} from './demo-scenario.js';

// Everything `upstream-sync demo` runs: the three stand-ins, generated repositories, and the real
// bot exactly as `start` runs it (its own SQLite in a temporary data dir, Bolt in Socket Mode, the
// runner, the web server receiving the stand-in's signed webhooks). The page talks to the
// stand-ins only; the bot sees a person's click as a Socket Mode interaction like any other.

export interface DemoPerson {
  id: string;
  name: string;
  realName: string;
}

export interface DemoWorld {
  github: GitHubSandbox;
  slack: SlackSandbox;
  /** The channel the page opens on. */
  channel: { id: string; name: string };
  people: readonly DemoPerson[];
  /** Who answers the resolver's questions: the scripted stand-in, or the real API with the user's key. */
  llm: { kind: 'scripted' | 'anthropic'; detail: string };
  /** Repositories where the page offers "publish a new stable release", and how. */
  publishers: Record<string, () => Promise<{ tag: string }>>;
  /** Resolves with start's exit code once the bot has stopped. */
  exited: Promise<number>;
  stop(): Promise<void>;
}

export interface DemoWorldOptions {
  /** The environment the demo was started with: only ANTHROPIC_API_KEY/BASE_URL and LOG_LEVEL are read. */
  source?: NodeJS.ProcessEnv;
  /** Bot error output (start's stderr). */
  stderr?: (line: string) => void;
}

export async function startDemoWorld(options: DemoWorldOptions = {}): Promise<DemoWorld> {
  const source = options.source ?? {};
  const dir = await mkdtemp(join(tmpdir(), 'upstream-sync-demo-'));
  const closers: Array<() => Promise<unknown>> = [() => rm(dir, { recursive: true, force: true })];
  const stopAll = async () => {
    while (closers.length) await closers.pop()!().catch(() => undefined);
  };
  try {
    const github = await GitHubSandbox.start({ root: join(dir, 'github') });
    closers.push(() => github.close());
    await seedDemoRepos(github);
    const slack = await startSlackSandbox();
    closers.push(() => slack.close());
    slack.addChannel({ ...CHANNEL, members: PEOPLE.map((p) => p.id) });
    for (const p of PEOPLE) slack.addUser(p);

    let llm: DemoWorld['llm'];
    let llmEnv: Record<string, string>;
    if (source.ANTHROPIC_API_KEY) {
      llm = { kind: 'anthropic', detail: 'the Anthropic API with your ANTHROPIC_API_KEY' };
      llmEnv = { ANTHROPIC_API_KEY: source.ANTHROPIC_API_KEY, ...pick(source, 'ANTHROPIC_BASE_URL') };
    } else {
      const anthropic = await new AnthropicSandbox().listen();
      closers.push(() => anthropic.close());
      scriptDemoLlm(anthropic);
      llm = { kind: 'scripted', detail: 'no ANTHROPIC_API_KEY: a scripted stand-in answers the resolver' };
      llmEnv = anthropic.env();
    }

    const dataDir = join(dir, 'data');
    seedDemoMemory(dataDir);
    const configFile = join(dir, 'upstream-sync.yml');
    await writeFile(
      configFile,
      stringify({
        web: { host: '127.0.0.1', port: 0 },
        git: { author: { name: 'upstream-sync[bot]', email: 'upstream-sync@example.test' } },
        ...DEMO_CONFIG,
      }),
    );
    const secret = randomBytes(16).toString('hex');
    const env = {
      ...github.env(),
      ...slack.env(),
      ...llmEnv,
      GITHUB_WEBHOOK_SECRET: secret,
      UPSTREAM_SYNC_DATA_DIR: dataDir,
      LOG_LEVEL: source.LOG_LEVEL ?? 'error',
    };
    const stop = new AbortController();
    const errors: string[] = [];
    let ready: (web: string | null) => void = () => undefined;
    const readyAt = new Promise<string | null>((r) => (ready = r));
    const exited = startCommand(
      { config: configFile },
      {
        stdout: () => undefined,
        stderr: (line) => {
          errors.push(line);
          options.stderr?.(line);
        },
      },
      env,
      { stop: stop.signal, onReady: ({ web }) => ready(web) },
    );
    // Stopped before the stand-ins close (closers run last-in first-out).
    closers.push(async () => {
      stop.abort();
      await exited;
    });
    const web = await Promise.race([
      readyAt,
      exited.then((code) => new Error(`start exited ${code}: ${errors.join('\n')}`)),
    ]);
    if (typeof web !== 'string') throw web ?? new Error('start serves no web server');
    // CI and merges reach the bot the way GitHub tells it: signed webhooks.
    github.configureWebhook({ url: `${web}/webhooks/github`, secret });
    await slack.waitForConnection(1, 20_000);

    return {
      github,
      slack,
      channel: CHANNEL,
      people: PEOPLE,
      llm,
      publishers: { [DEMO_CONFIG.pipelines[0]!.upstream.repo]: () => publishUpstreamRelease(github) },
      exited,
      stop: stopAll,
    };
  } catch (err) {
    await stopAll();
    throw err;
  }
}

function pick(source: NodeJS.ProcessEnv, name: string): Record<string, string> {
  const v = source[name];
  return v ? { [name]: v } : {};
}
