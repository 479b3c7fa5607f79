// What `--help` shows after each command's options: an example per command and the environment
// variables it reads. Commands not listed here still get the common variables.

const COMMON = ['UPSTREAM_SYNC_DATA_DIR', 'LOG_LEVEL'];
const GITHUB = [
  'GITHUB_TOKEN or GITHUB_APP_ID + GITHUB_APP_PRIVATE_KEY(_FILE) [+ GITHUB_APP_INSTALLATION_ID]',
  'GITHUB_API_URL',
];
const SLACK = ['SLACK_BOT_TOKEN', 'SLACK_APP_TOKEN', 'SLACK_API_URL'];
const LLM = ['ANTHROPIC_API_KEY', 'ANTHROPIC_BASE_URL'];

export const COMMAND_HELP: Record<string, { examples: string[]; env: string[] }> = {
  start: {
    examples: ['upstream-sync start --config upstream-sync.yml'],
    env: [...SLACK, ...GITHUB, ...LLM, 'GITHUB_WEBHOOK_SECRET', ...COMMON],
  },
  doctor: {
    examples: ['upstream-sync doctor --config upstream-sync.yml', 'upstream-sync doctor --json | jq .checks'],
    env: [...GITHUB, ...SLACK, ...LLM, ...COMMON],
  },
  status: {
    examples: ['upstream-sync status', 'upstream-sync status --pipeline litellm --json'],
    env: [...GITHUB, ...COMMON],
  },
  sync: {
    examples: ['upstream-sync sync --pipeline litellm', 'upstream-sync sync --dry-run --progress'],
    env: [...GITHUB, 'SLACK_BOT_TOKEN (cards are recorded for the bot to post)', ...COMMON],
  },
  resolve: { examples: ['upstream-sync resolve --pr 1234 --dry-run'], env: [...GITHUB, ...LLM, ...COMMON] },
  release: { examples: ['upstream-sync release minor --dry-run'], env: [...GITHUB, ...COMMON] },
  skip: { examples: ["upstream-sync skip v1.81.0-stable --reason 'breaks our auth'"], env: [...GITHUB, ...COMMON] },
  unskip: { examples: ['upstream-sync unskip v1.81.0-stable'], env: [...GITHUB, ...COMMON] },
  config: {
    examples: [
      'upstream-sync config check --config upstream-sync.yml',
      'upstream-sync config reference',
      'upstream-sync config schema > upstream-sync.schema.json',
    ],
    env: [],
  },
  healthcheck: { examples: ['upstream-sync healthcheck --config /config/upstream-sync.yml'], env: [] },
  bench: { examples: ['upstream-sync bench conflicts'], env: [...LLM] },
};

export function helpAfter(name: string): string {
  const entry = COMMAND_HELP[name] ?? { examples: [`upstream-sync ${name} --help`], env: COMMON };
  const lines = ['', 'Example:', ...entry.examples.map((e) => `  $ ${e}`)];
  if (entry.env.length) lines.push('', 'Environment:', ...entry.env.map((v) => `  ${v}`));
  return lines.join('\n');
}
