import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import { openStore, type Store } from '../../src/adapters/store/open-store.js';
import { SqliteResolverStore } from '../../src/adapters/store/resolver-store.js';
import { startCommand } from '../../src/cli/start.js';
import { jobIdentity } from '../../src/jobs/job-kinds.js';
import { JobRunner } from '../../src/jobs/runner.js';
import type { JobKindName, JobRecord } from '../../src/ports/jobs.js';
import { silentLogger } from '../../src/log.js';
import { systemClock, type SyncSnapshot } from '../../src/ports.js';
import { GitHubSandbox } from '../../src/sandbox/github/github-sandbox.js';
import { startSlackSandbox } from '../../src/sandbox/slack/slack-sandbox.js';
import { tempDir } from '../helpers/tmp.js';
import { ALICE, OPS_CHANNEL } from '../slack/fixtures.js';
import { BOT, FORK, UPSTREAM, seedScenario, type Scenario } from './resolve-world.js';

// `upstream-sync start` as the CLI runs it (its own SQLite, git cache, runner, Slack app, CI
// watcher and web server), with the GitHub stand-in sending signed webhooks to it. The test sees
// the bot only from outside: GitHub, Slack and the bot's SQLite file, opened a second time.

export const SECRET = 'webhook-secret-for-e2e';
export const TAG = 'v1.81.0-stable';
export const SYNC_BRANCH = `upstream-sync/${TAG}`;

const open: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (open.length) await open.pop()!();
});

export interface WebhookWorld {
  github: GitHubSandbox;
  /** Base URL of the bot's web server. */
  web: string;
  store: Store;
  resolver: SqliteResolverStore;
  /** Jobs of a kind, newest first, as the bot's database has them. */
  jobs(kind: JobKindName): JobRecord[];
  card(): SyncSnapshot | null;
  /** Queues a sync as the CLI would (the bot's runner picks it up) and waits for it to finish. */
  sync(): Promise<JobRecord>;
  until<T>(probe: () => T | null | undefined | false, what: string, timeoutMs?: number): Promise<T>;
  /** Waits until every delivery so far was answered. */
  settled(): Promise<void>;
}

export async function webhookWorld(scenario: Scenario): Promise<WebhookWorld> {
  const github = await GitHubSandbox.start({ root: await tempDir('webhooks-gh-') });
  open.push(() => github.close());
  await seedScenario(github, scenario);
  const slack = await startSlackSandbox();
  open.push(() => slack.close());
  slack.addChannel({ id: OPS_CHANNEL, name: 'cartodb-ops' });
  slack.addUser({ id: ALICE });

  const dir = await tempDir('webhooks-');
  const config = join(dir, 'upstream-sync.yml');
  await writeFile(
    config,
    `web: { host: 127.0.0.1, port: 0 }
git: { author: { name: ${BOT.name}, email: ${BOT.email} } }
access: { approve: [${ALICE}], resolve: [${ALICE}], sync: [${ALICE}] }
pipelines:
  - id: litellm
    upstream: { repo: ${UPSTREAM}, tagPattern: '^v(?<version>\\d+\\.\\d+\\.\\d+)-stable$' }
    fork: { repo: ${FORK}, mirrorBranch: main, productionBranch: carto/main }
    version: { file: pyproject.toml, key: tool.poetry.version }
    pr: { readyLabel: sync-ready }
    slack: { channel: ${OPS_CHANNEL} }
`,
  );
  const dataDir = join(dir, 'data');
  const env = {
    ...github.env(),
    SLACK_BOT_TOKEN: slack.botToken,
    SLACK_APP_TOKEN: slack.appToken,
    SLACK_API_URL: slack.apiUrl,
    UPSTREAM_SYNC_DATA_DIR: dataDir,
    LOG_LEVEL: 'silent',
    GITHUB_WEBHOOK_SECRET: SECRET,
  };
  const stop = new AbortController();
  const err: string[] = [];
  let ready: (url: string | null) => void = () => undefined;
  const readyAt = new Promise<string | null>((r) => (ready = r));
  const exit = startCommand({ config }, { stdout: () => undefined, stderr: (l) => err.push(l) }, env, {
    stop: stop.signal,
    onReady: ({ web }) => ready(web),
  });
  open.push(async () => {
    stop.abort();
    const code = await exit;
    if (code !== 0) throw new Error(`start exited ${code}: ${err.join('\n')}`);
  });
  const first = await Promise.race([
    readyAt,
    exit.then((code) => new Error(`start exited ${code}: ${err.join('\n')}`)),
  ]);
  if (typeof first !== 'string') throw first ?? new Error('start serves no web server');
  const web = first;
  github.configureWebhook({ url: `${web}/webhooks/github`, secret: SECRET });

  // Opened after start migrated it; WAL lets the test read while the bot writes.
  const store = openStore(dataDir);
  open.push(async () => store.close());
  const queue = new JobRunner({ store: store.jobs, log: silentLogger() });
  const until = async <T>(probe: () => T | null | undefined | false, what: string, timeoutMs = 30_000): Promise<T> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const v = probe();
      if (v) return v;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  };
  const jobs = (kind: JobKindName) => store.jobs.list({ kind, limit: 50 });
  const finished = (job: JobRecord | null | undefined) =>
    job && ['succeeded', 'failed', 'cancelled'].includes(job.state) && job;
  return {
    github,
    web,
    store,
    resolver: new SqliteResolverStore(store.db, systemClock),
    jobs,
    card: () => store.syncCards.get({ pipeline: 'litellm', tag: TAG })?.snapshot ?? null,
    async sync() {
      const { job } = await queue.enqueue({
        ...jobIdentity.sync('litellm'),
        data: { pipeline: 'litellm' },
        requestedBy: { kind: 'cli', id: 'test' },
      });
      return until(() => finished(store.jobs.get(job.id)), 'the sync job');
    },
    until,
    settled: () => github.webhooksSettled(),
  };
}
