import { openStore } from '../adapters/store/open-store.js';
import { SqliteResolverStore } from '../adapters/store/resolver-store.js';
import { hunkKey } from '../core/resolve/hunk-key.js';
import { systemClock } from '../ports.js';
import type { AnthropicSandbox } from '../sandbox/anthropic/anthropic-sandbox.js';
import type { MessagesRequest, ScriptedReply } from '../sandbox/anthropic/anthropic-replies.js';
import type { GitHubSandbox } from '../sandbox/github/github-sandbox.js';

// The story the demo tells: an upstream with a few stable releases and decoy tags, a fork with
// customisations, and a new upstream release whose merge conflicts in five files: one a path rule
// resolves, one a structure strategy, one memory, one the (scripted) LLM, and one hunk that needs
// a person. Everything here is data for the stand-ins; the bot learns it only through them.

export const UPSTREAM = 'BerriAI/litellm';
export const FORK = 'CartoDB/litellm';
export const CHANNEL = { id: 'C0DEMOOPS01', name: 'fork-sync' };
export const PEOPLE = [
  { id: 'U0DEMOALICE', name: 'alice', realName: 'Alice (on every allow-list)' },
  { id: 'U0DEMOBOB01', name: 'bob', realName: 'Bob (on no allow-list)' },
] as const;
const [ALICE] = PEOPLE;

/** The bot's upstream-sync.yml for the demo (web and git identity are added by the world). */
export const DEMO_CONFIG = {
  access: {
    approve: [ALICE.id],
    release: [ALICE.id],
    resolve: [ALICE.id],
    sync: [ALICE.id],
    skip: [ALICE.id],
  },
  pipelines: [
    {
      id: 'litellm',
      upstream: { repo: UPSTREAM, tagPattern: '^v(?<version>\\d+\\.\\d+\\.\\d+)-stable$' },
      fork: { repo: FORK, mirrorBranch: 'main', productionBranch: 'carto/main' },
      version: { file: 'pyproject.toml', key: 'tool.poetry.version' },
      slack: { channel: CHANNEL.id },
      release: { tagFormat: 'v{upstream}-carto.{major}.{minor}.{patch}' },
    },
  ],
};

const pyproject = (v: string) => `[tool.poetry]\nname = "litellm"\nversion = "${v}"\n`;

const BASE = {
  'README.md': '# litellm\n\nCall every LLM API with one interface.\n',
  'litellm/constants.py': 'PROVIDERS = [\n    "openai",\n    "anthropic",\n]\n',
  'litellm/router.py': 'def route(model):\n    return "v1/" + model\n',
  'litellm/main.py': 'def completion(model):\n    timeout = 10\n    return call(model, timeout)\n',
  'litellm/utils.py': 'def retries():\n    return 1\n',
  'ui/out/index.html': '<html>build 1.79</html>\n',
};

/** Upstream's next release after the fork point: conflicts with every customisation below. */
const NEXT_UPSTREAM = {
  'litellm/constants.py': 'PROVIDERS = [\n    "openai",\n    "anthropic",\n    "heroku",\n]\n',
  'litellm/router.py': 'def route(model):\n    return "v2/" + model\n',
  'litellm/main.py': 'def completion(model):\n    timeout = 20\n    return call(model, timeout)\n',
  'litellm/utils.py': 'def retries():\n    return 3\n',
  'ui/out/index.html': '<html>build 1.81</html>\n',
  'litellm/providers/heroku.py': 'NAME = "heroku"\n',
};

const FORK_CHANGES = {
  'litellm/constants.py': 'PROVIDERS = [\n    "openai",\n    "anthropic",\n    "carto",\n]\n',
  'litellm/router.py': 'def route(model):\n    return "carto/" + model\n',
  'litellm/main.py':
    'def completion(model):\n    timeout = 30  # CARTO: slow providers\n    return call(model, timeout)\n',
  'litellm/utils.py': 'def retries():\n    return 5  # CARTO: flaky network\n',
  'ui/out/index.html': '<html>build carto</html>\n',
  'carto/auth.py': 'def sso():\n    return "carto-sso"\n',
};

let clockDay = 0;
const day = () => new Date(Date.parse('2026-01-01T09:00:00Z') + clockDay++ * 86_400_000).toISOString();

/** Creates both repositories with their history, releases and decoy tags. */
export async function seedDemoRepos(github: GitHubSandbox): Promise<void> {
  github.registerUser({ login: 'carto-dev', name: 'Carto Dev', email: 'dev@carto.example' });
  github.registerUser({ login: 'ishaan', name: 'Upstream Maintainer', email: 'maintainer@upstream.example' });
  await github.createRepo(UPSTREAM);
  const release = async (version: string, files: Record<string, string>) => {
    const sha = await github.pushCommit(UPSTREAM, {
      branch: 'main',
      files: { 'pyproject.toml': pyproject(version), ...files },
      message: `release ${version}`,
      as: 'ishaan',
    });
    await github.addRelease(UPSTREAM, { tag: `v${version}-stable`, target: sha, publishedAt: day(), author: 'ishaan' });
    return sha;
  };
  await release('1.79.0', BASE);
  const forkPoint = await release('1.80.0', { 'README.md': `${BASE['README.md']}\nNow with routing.\n` });
  // Decoys: tags and releases the tag pattern or the pre-release flag must keep out.
  await github.createTag(UPSTREAM, 'v1.80.1.dev4', forkPoint);
  await github.createTag(UPSTREAM, 'litellm-helm-0.4.2', forkPoint);
  await github.addRelease(UPSTREAM, {
    tag: 'v1.81.0-nightly',
    target: forkPoint,
    prerelease: true,
    publishedAt: day(),
  });

  await github.createRepo(FORK, { forkOf: UPSTREAM });
  await github.git(FORK, ['update-ref', 'refs/heads/main', forkPoint]);
  const carto = await github.pushCommit(FORK, {
    branch: 'carto/main',
    from: forkPoint,
    files: FORK_CHANGES,
    message: 'feat: CARTO customisations (SSO, provider, timeouts)',
    as: 'carto-dev',
    date: day(),
  });
  await github.addRelease(FORK, { tag: 'v1.80.0-carto.1.0.0', target: carto, publishedAt: day(), author: 'carto-dev' });

  await release('1.81.0', NEXT_UPSTREAM);
}

/** What an earlier sync taught the bot: the router conflict keeps the fork's line. */
export function seedDemoMemory(dataDir: string): void {
  const store = openStore(dataDir, { clock: systemClock });
  try {
    new SqliteResolverStore(store.db, systemClock).remember(FORK, [
      {
        key: hunkKey({
          base: ['    return "v1/" + model\n'],
          upstream: ['    return "v2/" + model\n'],
          fork: ['    return "carto/" + model\n'],
        }),
        shape: 'fork',
        text: '    return "carto/" + model\n',
        source: 'PR #7 litellm/router.py (an earlier sync)',
      },
    ]);
  } finally {
    store.close();
  }
}

const promptOf = (r: MessagesRequest) => JSON.stringify(r.messages);

/**
 * The scripted model: confident about the timeout in main.py, unsure about everything else (so
 * those hunks wait for a person). It answers as often as it is asked.
 */
export function scriptDemoLlm(anthropic: AnthropicSandbox): void {
  const answer = (request: MessagesRequest): ScriptedReply =>
    promptOf(request).includes('litellm/main.py')
      ? {
          kind: 'tool_use',
          input: {
            resolutions: [
              {
                hunk: 0,
                resolved: '    timeout = 30  # CARTO: slow providers (upstream raised its default to 20)\n',
                rationale: "Upstream raised the default; the fork's higher timeout is deliberate, so it stays.",
                confidence: 0.93,
              },
            ],
          },
        }
      : {
          kind: 'tool_use',
          input: {
            resolutions: [
              {
                hunk: 0,
                resolved: '    return 4\n',
                rationale: 'Both sides changed the value on purpose: a person should choose.',
                confidence: 0.2,
              },
            ],
          },
        };
  anthropic.replyWith(answer, { times: 10_000 });
}

/** Upstream publishes its next minor stable release (a new file and the version bump: no conflict). */
export async function publishUpstreamRelease(github: GitHubSandbox): Promise<{ tag: string }> {
  const versions = github
    .releases(UPSTREAM)
    .map((r) => /^v(\d+)\.(\d+)\.(\d+)-stable$/.exec(r.tag))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => [Number(m[1]), Number(m[2]), Number(m[3])] as const)
    .sort((a, b) => a[0] - b[0] || a[1] - b[1] || a[2] - b[2]);
  const [major, minor] = versions.at(-1) ?? [1, 0, 0];
  const version = `${major}.${minor + 1}.0`;
  const sha = await github.pushCommit(UPSTREAM, {
    branch: 'main',
    files: {
      'pyproject.toml': pyproject(version),
      [`litellm/providers/p${minor + 1}.py`]: `NAME = "provider-${minor + 1}"\n`,
    },
    message: `release ${version}`,
    as: 'ishaan',
  });
  const tag = `v${version}-stable`;
  await github.addRelease(UPSTREAM, { tag, target: sha, author: 'ishaan' });
  return { tag };
}
