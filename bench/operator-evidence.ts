import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { doctorCommand } from '../src/cli/doctor.js';
import { buttonLabels } from '../src/sandbox/slack/find-button.js';
import { GitHubSandbox } from '../src/sandbox/github/github-sandbox.js';
import { startSlackSandbox } from '../src/sandbox/slack/slack-sandbox.js';
import { closeAppWorld, openAppWorld, type AppWorld } from '../test/e2e/start/app-world-core.js';
import { FORK, UPSTREAM, publishRelease, seedRepos } from '../test/helpers/litellm-repos.js';
import { ALICE, CAROL, OPS_CHANNEL, OPS_GROUP } from '../test/slack/fixtures.js';

// The evidence an operator asks for before trusting the bot (issue 12's closing note), produced
// against the local stand-ins: `upstream-sync doctor` for a healthy setup and for the broken ones
// met in the first hour, then /metrics after one sync, one Approve & merge and one release driven
// through Slack into the real app. Output is printed verbatim; the run fails (exit 1) if a setup
// does not come out as expected, so the note never shows evidence of something that did not happen.
//
//   npm run bench -- operator-evidence

const dirs: string[] = [];
const tempDir = async (prefix: string): Promise<string> => {
  const dir = await mkdtemp(join(tmpdir(), `evidence-${prefix}`));
  dirs.push(dir);
  return dir;
};
const print = (line = ''): void => void process.stdout.write(`${line}\n`);

interface Setup {
  title: string;
  member?: boolean;
  scopes: string[];
  env?: NodeJS.ProcessEnv;
  /** The line that must come out ✗ (or none: the healthy setup, exit 0). */
  failing?: string;
}

const SETUPS: Setup[] = [
  { title: 'healthy setup', scopes: ['repo', 'workflow'] },
  {
    title: 'bad GitHub token',
    scopes: ['repo', 'workflow'],
    env: { GITHUB_TOKEN: 'ghp_wrongwrongwrong' },
    failing: 'GitHub credentials:',
  },
  {
    title: 'bad Slack bot token',
    scopes: ['repo', 'workflow'],
    env: { SLACK_BOT_TOKEN: 'xoxb-wrong' },
    failing: 'Slack bot token:',
  },
  { title: 'bot not in the channel', member: false, scopes: ['repo', 'workflow'], failing: 'Slack channel:' },
  { title: 'GitHub token without the workflow scope', scopes: ['repo'], failing: 'workflows:' },
];

/** The stand-ins as test/cli/doctor.test.ts sets them up, upstream carrying a workflow file. */
async function runDoctorSetup(setup: Setup): Promise<{ code: number; out: string[]; err: string[] }> {
  const github = await GitHubSandbox.start({ root: await tempDir('doctor-gh-') });
  const slack = await startSlackSandbox();
  try {
    await seedRepos(github);
    await github.pushCommit(UPSTREAM, {
      branch: 'main',
      files: { '.github/workflows/ci.yml': 'on: push\n' },
      message: 'ci',
    });
    github.setTokenScopes(github.token, setup.scopes);
    slack.addChannel({ id: OPS_CHANNEL, name: 'cartodb-ops', isMember: setup.member ?? true });
    slack.addUsergroup(OPS_GROUP, [CAROL]);
    const dir = await tempDir('doctor-');
    const config = join(dir, 'upstream-sync.yml');
    await writeFile(
      config,
      `access: { sync: [${OPS_GROUP}] }
pipelines:
  - id: litellm
    upstream: { repo: ${UPSTREAM}, tagPattern: '^v(?<version>\\d+\\.\\d+\\.\\d+)-stable$' }
    fork: { repo: ${FORK}, productionBranch: carto/main }
    version: { file: pyproject.toml, key: tool.poetry.version }
    slack: { channel: ${OPS_CHANNEL} }
`,
    );
    const out: string[] = [];
    const err: string[] = [];
    const code = await doctorCommand(
      { config, json: false },
      { stdout: (l) => out.push(l), stderr: (l) => err.push(l) },
      {
        ...github.env(),
        ...slack.env(),
        UPSTREAM_SYNC_DATA_DIR: join(dir, 'data'),
        LOG_LEVEL: 'silent',
        ...setup.env,
      },
    );
    return { code, out, err };
  } finally {
    await slack.close();
    await github.close();
  }
}

/** What test/web/metrics-moving.test.ts drives: /upstream-sync sync, CI green, Approve & merge, Release minor. */
async function syncMergeRelease(w: AppWorld): Promise<void> {
  const TAG = 'v1.81.0-stable';
  await publishRelease(w.github, '1.81.0', { 'litellm/new.py': 'n = 1\n' });
  const { services } = w.app;
  const card = () => {
    const ts = services.store.slackMessages.get('litellm', TAG, 'sync-card')?.ts;
    return w.slack.messages(OPS_CHANNEL).find((m) => m.ts === ts);
  };
  const withButton = (label: string) => () => {
    const c = card();
    return c && buttonLabels(c.blocks).includes(label) ? c : null;
  };
  await w.slack.sendSlashCommand({ command: '/upstream-sync', text: 'sync', user_id: ALICE, channel_id: OPS_CHANNEL });
  const pr = await w.until(
    () => services.store.syncCards.get({ pipeline: 'litellm', tag: TAG })?.snapshot?.pr,
    'the sync PR',
  );
  await w.github.setCheckRun(FORK, w.github.pull(FORK, pr.number).headSha, {
    name: 'tests',
    status: 'completed',
    conclusion: 'success',
  });
  const ready = await w.until(withButton('Approve & merge'), 'Approve & merge');
  await w.slack.clickButton({ message: ready, label: 'Approve & merge', user: ALICE });
  const merged = await w.until(withButton('Release minor'), 'the release buttons');
  await w.slack.clickButton({ message: merged, label: 'Release minor', user: ALICE });
  await w.until(
    () => w.slack.openModals(ALICE).find((v) => JSON.stringify(v.view).includes('Next tag')),
    'the release preview',
  );
  await w.slack.sendViewSubmission({ user: ALICE, callbackId: 'us_release_modal' });
  await w.until(() => w.github.releases(FORK).length > 0, 'the GitHub release');
  await w.until(
    async () =>
      (await w.get('/metrics')).body.includes('upstream_sync_jobs_finished_total{kind="release",state="succeeded"} 1'),
    'the release job to be counted',
  );
  await w.until(() => services.slack.outbox.counts().pending === 0, 'the outbox to drain');
}

async function main(): Promise<number> {
  let wrong = 0;
  print('# upstream-sync doctor');
  for (const setup of SETUPS) {
    const r = await runDoctorSetup(setup);
    print();
    print(`## ${setup.title} (exit ${r.code})`);
    print();
    for (const line of [...r.out, ...r.err]) print(line);
    const failed = r.out.filter((l) => l.startsWith('✗'));
    const asExpected = setup.failing
      ? r.code === 1 && failed.some((l) => l.includes(setup.failing!) && l.includes('→'))
      : r.code === 0 && failed.length === 0;
    if (!asExpected) {
      wrong += 1;
      process.stderr.write(`operator-evidence: "${setup.title}" did not come out as expected\n`);
    }
  }

  print();
  print('# /metrics after one sync, one Approve & merge and one release (custom upstream_sync_* series only)');
  print();
  const w = await openAppWorld({}, tempDir);
  try {
    await syncMergeRelease(w);
    const metrics = await w.get('/metrics');
    for (const line of metrics.body.split('\n'))
      if (/^(# (HELP|TYPE) )?upstream_sync_(?!process|nodejs)/.test(line)) print(line);
  } finally {
    await closeAppWorld(w);
  }
  return wrong === 0 ? 0 : 1;
}

let code = 1;
try {
  code = await main();
} catch (error) {
  process.stderr.write(
    `operator-evidence: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
} finally {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
}
process.exit(code);
