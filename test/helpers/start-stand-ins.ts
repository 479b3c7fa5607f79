import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import { GitHubSandbox } from '../../src/sandbox/github/github-sandbox.js';
import { startSlackSandbox, type SlackSandbox } from '../../src/sandbox/slack/slack-sandbox.js';
import { OPS_CHANNEL } from '../slack/fixtures.js';
import { FORK, UPSTREAM, publishRelease, seedRepos } from './litellm-repos.js';
import { tempDir } from './tmp.js';

const open: Array<{ slack: SlackSandbox; github: GitHubSandbox }> = [];
afterEach(async () => {
  for (const { slack, github } of open.splice(0)) {
    await slack.close();
    await github.close();
  }
});

/**
 * For tests of the real `start`: the GitHub stand-in with litellm's upstream and fork (with
 * `release`, upstream's v1.81.0-stable too), the Slack stand-in with the ops channel and `users`,
 * a config file with one litellm pipeline and the env to run it; both stand-ins closed after the test.
 */
export async function startStandIns(input: {
  /** Names the temporary folders. */
  prefix: string;
  users: string[];
  release?: boolean;
  /** The config's `access`, as YAML flow text (e.g. `{ sync: [U1] }`). */
  access?: string;
  /** The fork's mirrorBranch is `main` (else the pipeline has none). */
  mirrorBranch?: boolean;
}) {
  const github = await GitHubSandbox.start({ root: await tempDir(`${input.prefix}-gh-`) });
  await seedRepos(github);
  if (input.release) await publishRelease(github, '1.81.0', { 'litellm/new.py': 'n = 1\n' });
  const slack = await startSlackSandbox();
  slack.addChannel({ id: OPS_CHANNEL, name: 'cartodb-ops' });
  for (const id of input.users) slack.addUser({ id });
  open.push({ slack, github });
  const dir = await tempDir(`${input.prefix}-`);
  const config = join(dir, 'upstream-sync.yml');
  await writeFile(
    config,
    `web: { host: 127.0.0.1, port: 0 }
${input.access ? `access: ${input.access}\n` : ''}pipelines:
  - id: litellm
    upstream: { repo: ${UPSTREAM}, tagPattern: '^v(?<version>\\d+\\.\\d+\\.\\d+)-stable$' }
    fork: { repo: ${FORK}, ${input.mirrorBranch ? 'mirrorBranch: main, ' : ''}productionBranch: carto/main }
    version: { file: pyproject.toml, key: tool.poetry.version }
    slack: { channel: ${OPS_CHANNEL} }
`,
  );
  const dataDir = join(dir, 'data');
  const env: Record<string, string | undefined> = {
    ...github.env(),
    ...slack.env(),
    UPSTREAM_SYNC_DATA_DIR: dataDir,
    LOG_LEVEL: 'silent',
  };
  return { github, slack, dir, config, dataDir, env };
}
