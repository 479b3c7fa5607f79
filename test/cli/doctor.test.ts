import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { doctorCommand } from '../../src/cli/doctor.js';
import { GitHubSandbox } from '../../src/sandbox/github/github-sandbox.js';
import { startSlackSandbox, type SlackSandbox } from '../../src/sandbox/slack/slack-sandbox.js';
import { tempDir } from '../helpers/tmp.js';
import { FORK, UPSTREAM, seedRepos } from '../pipelines/release-sync/harness.js';
import { OPS_CHANNEL, OPS_GROUP, CAROL } from '../slack/fixtures.js';

// `upstream-sync doctor` against the GitHub and Slack stand-ins: one line per check, every
// problem with what to do, exit 1 when something is wrong, --json for machines.

const open: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  while (open.length) await open.pop()!.close();
});

async function world(options: { member?: boolean; scopes?: string[]; workflows?: boolean } = {}) {
  const github = await GitHubSandbox.start({ root: await tempDir('doctor-gh-') });
  open.push(github);
  await seedRepos(github);
  if (options.workflows ?? true)
    await github.pushCommit(UPSTREAM, {
      branch: 'main',
      files: { '.github/workflows/ci.yml': 'on: push\n' },
      message: 'ci',
    });
  if (options.scopes) github.setTokenScopes(github.token, options.scopes);
  const slack: SlackSandbox = await startSlackSandbox();
  open.push(slack);
  slack.addChannel({ id: OPS_CHANNEL, name: 'cartodb-ops', isMember: options.member ?? true });
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
  const env: NodeJS.ProcessEnv = {
    ...github.env(),
    ...slack.env(),
    UPSTREAM_SYNC_DATA_DIR: join(dir, 'data'),
    LOG_LEVEL: 'silent',
  };
  const run = async (extra: NodeJS.ProcessEnv = {}, json = false) => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await doctorCommand(
      { config, json },
      { stdout: (l) => out.push(l), stderr: (l) => err.push(l) },
      { ...env, ...extra },
    );
    return { code, out, err };
  };
  return { github, slack, run };
}

const line = (out: string[], prefix: string) => out.find((l) => l.includes(prefix)) ?? `(no line with ${prefix})`;

describe('upstream-sync doctor', () => {
  it('a healthy setup: every check ✓ (or – with the reason), exit 0', async () => {
    const w = await world({ scopes: ['repo', 'workflow'] });
    const r = await w.run();
    if (process.env.SHOW_DOCTOR) console.log(r.out.join('\n'));
    expect(r.code).toBe(0);
    expect(r.out.filter((l) => l.startsWith('✗'))).toEqual([]);
    for (const title of [
      'config:',
      'git:',
      'data directory:',
      'database:',
      'GitHub credentials:',
      'GitHub rate limit:',
      'litellm: upstream:',
      'litellm: fork:',
      'litellm: workflows:',
      'Slack bot token:',
      'Slack app token:',
      'litellm: Slack channel:',
      'litellm: Slack history:',
      `Slack user group ${OPS_GROUP}:`,
    ])
      expect(line(r.out, title)).toMatch(/^✓ /);
    expect(line(r.out, 'LLM:')).toBe(
      '– LLM: off (ANTHROPIC_API_KEY is not set): conflicts the rules leave go to people',
    );
    expect(r.out.at(-1)).toBe('all good');
    w.github.assertNoUnexpectedRequests();
    expect(w.slack.unexpected).toEqual([]);
  });

  it('a refused GitHub token: ✗ naming GITHUB_TOKEN and what to do, exit 1', async () => {
    const w = await world();
    const r = await w.run({ GITHUB_TOKEN: 'ghp_wrongwrongwrong' });
    if (process.env.SHOW_DOCTOR) console.log(r.out.join('\n'));
    expect(r.code).toBe(1);
    expect(line(r.out, 'GitHub credentials:')).toBe(
      '✗ GitHub credentials: GITHUB_TOKEN was refused by GitHub (401 Bad credentials) → create a new token (or check the App id, key and installation) and set it',
    );
  });

  it('a bot that is not in the channel: ✗ saying how to invite it', async () => {
    const w = await world({ member: false });
    const r = await w.run();
    if (process.env.SHOW_DOCTOR) console.log(r.out.join('\n'));
    expect(r.code).toBe(1);
    expect(line(r.out, 'litellm: Slack channel:')).toBe(
      '✗ litellm: Slack channel: the bot is not a member of #cartodb-ops → invite the bot: /invite @upstream-sync in #cartodb-ops',
    );
  });

  it('a bot token without channels:history: ✗ saying a crash may post twice, and which scopes to add', async () => {
    const w = await world();
    w.slack.faults.failWith('conversations.history', 'missing_scope');
    const r = await w.run();
    expect(r.code).toBe(1);
    expect(line(r.out, 'litellm: Slack history:')).toBe(
      `✗ litellm: Slack history: ${OPS_CHANNEL} cannot be read back (missing_scope): after a crash a card or thread reply may be posted twice → add the channels:history and groups:history scopes (manifest.yml) and reinstall the app`,
    );
  });

  it('a classic token without the workflow scope while upstream has workflows: ✗ with the fix', async () => {
    const w = await world({ scopes: ['repo'] });
    const r = await w.run();
    if (process.env.SHOW_DOCTOR) console.log(r.out.join('\n'));
    expect(r.code).toBe(1);
    expect(line(r.out, 'litellm: workflows:')).toMatch(
      /^✗ litellm: workflows: BerriAI\/litellm changes \.github\/workflows but the token has no workflow scope \(scopes: repo\) → give the token the workflow scope/,
    );
  });

  it('a token that does not list scopes (fine-grained, app): – with what to make sure of', async () => {
    const w = await world();
    const r = await w.run();
    expect(line(r.out, 'litellm: workflows:')).toMatch(/^– .*make sure it has "Workflows: write"/);
  });

  it('refused Slack tokens: ✗ each, naming the variable', async () => {
    const w = await world();
    const r = await w.run({ SLACK_APP_TOKEN: 'xapp-1-wrong' });
    expect(line(r.out, 'Slack app token:')).toMatch(
      /^✗ Slack app token: SLACK_APP_TOKEN was refused by Slack \(invalid_auth\) → /,
    );
    const b = await w.run({ SLACK_BOT_TOKEN: 'xoxb-wrong' });
    expect(line(b.out, 'Slack bot token:')).toMatch(
      /^✗ Slack bot token: SLACK_BOT_TOKEN was refused by Slack \(invalid_auth\) → /,
    );
  });

  it('--json: {ok, checks[]} with a fix on every failure', async () => {
    const w = await world({ member: false });
    const r = await w.run({}, true);
    expect(r.out).toHaveLength(1);
    const report = JSON.parse(r.out[0]!) as { ok: boolean; checks: Array<Record<string, unknown>> };
    expect(report.ok).toBe(false);
    expect(report.checks.find((c) => c.id === 'slack.channel.litellm')).toMatchObject({
      status: 'fail',
      fatal: false,
      fix: 'invite the bot: /invite @upstream-sync in #cartodb-ops',
    });
    for (const c of report.checks) if (c.status === 'fail') expect(c.fix).toEqual(expect.any(String));
    expect(report.checks.map((c) => c.status)).not.toContain(undefined);
  });

  it('a data directory that cannot be written: ✗ fatal', async () => {
    const w = await world();
    // A path under a regular file: no permission trick that root would bypass.
    const blocker = join(await tempDir('doctor-file-'), 'a-file');
    await writeFile(blocker, 'not a directory');
    const r = await w.run({ UPSTREAM_SYNC_DATA_DIR: join(blocker, 'data') });
    expect(r.code).toBe(1);
    expect(line(r.out, 'data directory:')).toMatch(
      /^✗ data directory: .*a-file\/data is not writable \(ENOTDIR\) → set UPSTREAM_SYNC_DATA_DIR/,
    );
    expect(r.out.some((l) => l.includes('database:'))).toBe(false);
  });
});
