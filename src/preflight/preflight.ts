import type { Env } from '../config/env.js';
import type { Config } from '../config/schema.js';
import { ok, skip, type CheckResult } from './check.js';
import { checkGitHub, type GitHubProbe } from './github-checks.js';
import { checkDataDir, checkDatabase, checkGit } from './local-checks.js';
import { checkPostgres } from './check-postgres.js';
import { checkSlack, type SlackProbe } from './slack-checks.js';

// `upstream-sync doctor` and the same checks at `start`: everything an operator meets in the
// first hour, each answer with what to do. Checks run in order and never throw.

export interface PreflightInput {
  config: Config;
  configFile: string;
  env: Env;
  github: GitHubProbe | null;
  slack: SlackProbe | null;
  /** `start` needs Slack; `doctor` checks it when a token is set and says so when not. */
  requireSlack: boolean;
}

export async function preflight(input: PreflightInput): Promise<CheckResult[]> {
  const { config, env } = input;
  const ids = config.pipelines.map((p) => p.id).join(', ');
  const results: CheckResult[] = [
    ok(
      'config',
      'config',
      `${input.configFile} is valid (${config.pipelines.length} pipeline${config.pipelines.length === 1 ? '' : 's'}: ${ids})`,
    ),
    await checkGit(),
  ];
  const dataDir = await checkDataDir(env.UPSTREAM_SYNC_DATA_DIR);
  results.push(dataDir);
  if (config.store?.kind === 'postgres') results.push(checkPostgres(config));
  else if (dataDir.status === 'ok') results.push(checkDatabase(env.UPSTREAM_SYNC_DATA_DIR));
  results.push(...(await checkGitHub(config, input.github)));
  if (input.requireSlack || env.SLACK_BOT_TOKEN || env.SLACK_APP_TOKEN)
    results.push(
      ...(await checkSlack(config, input.slack, { bot: !!env.SLACK_BOT_TOKEN, app: !!env.SLACK_APP_TOKEN })),
    );
  else
    results.push(skip('slack', 'Slack', 'SLACK_BOT_TOKEN is not set: the CLI works without Slack; `start` needs it'));
  results.push(checkLlm(config, env));
  return results;
}

function checkLlm(config: Config, env: Env): CheckResult {
  if (!config.llm.enabled)
    return skip('llm', 'LLM', 'off (llm.enabled: false): conflicts the rules leave go to people');
  if (!env.ANTHROPIC_API_KEY)
    return skip('llm', 'LLM', 'off (ANTHROPIC_API_KEY is not set): conflicts the rules leave go to people');
  return ok('llm', 'LLM', `on: ANTHROPIC_API_KEY is set, model ${config.llm.model}`);
}
