import type { Config } from '../config/schema.js';
import type { Env } from '../config/env.js';
import { AppError, errorMessage, isAppError } from '../errors.js';
import { readFileSync } from 'node:fs';
import {
  appCredentials,
  repoOfApiPath,
  staticToken,
  type GitHubCredentials,
} from '../adapters/github/github-credentials.js';
import { registerSecrets } from '../redact.js';
import { pipelineRepos, type GitHubProbe } from '../preflight/github-checks.js';
import type { SlackProbe } from '../preflight/slack-checks.js';

const PROBE_TIMEOUT_MS = 10_000;

export function createProbes(env: Env, config: Config): { github: GitHubProbe | null; slack: SlackProbe | null } {
  let credentials: GitHubCredentials | null;
  let refused: unknown = null;
  try {
    credentials = githubCredentials(env, config);
  } catch (err) {
    credentials = null;
    refused = err;
  }
  const github: GitHubProbe | null =
    credentials || refused
      ? {
          credential: credentials?.describe ?? 'the GitHub App',
          get: async (path) => {
            if (!credentials) throw refused;
            let token: string;
            try {
              token = await credentials.token(repoOfApiPath(path));
            } catch (err) {
              // An App that cannot get an installation token: its id, key or installation is wrong.
              throw isAppError(err)
                ? err
                : new AppError('config_invalid', `${credentials.describe}: ${errorMessage(err)}`);
            }
            const res = await fetch(new URL(path.replace(/^\//, ''), env.GITHUB_API_URL.replace(/\/?$/, '/')), {
              headers: {
                authorization: `Bearer ${token}`,
                accept: 'application/vnd.github+json',
                'user-agent': 'upstream-sync',
              },
              signal: AbortSignal.timeout(PROBE_TIMEOUT_MS),
            });
            const text = await res.text();
            let data: unknown;
            try {
              data = text ? JSON.parse(text) : null;
            } catch {
              data = text;
            }
            return { status: res.status, data, headers: Object.fromEntries(res.headers.entries()) };
          },
        }
      : null;
  const tokens = { bot: env.SLACK_BOT_TOKEN, app: env.SLACK_APP_TOKEN };
  const slack: SlackProbe | null =
    tokens.bot || tokens.app
      ? {
          call: async (token, method, params = {}) => {
            const res = await fetch(new URL(method, env.SLACK_API_URL ?? 'https://slack.com/api/'), {
              method: 'POST',
              headers: {
                authorization: `Bearer ${tokens[token] ?? ''}`,
                'content-type': 'application/x-www-form-urlencoded',
              },
              body: new URLSearchParams(params).toString(),
              signal: AbortSignal.timeout(PROBE_TIMEOUT_MS),
            });
            if (!res.ok) throw new Error(`HTTP ${res.status}`);
            return (await res.json()) as Record<string, unknown>;
          },
        }
      : null;
  return { github, slack };
}

/**
 * GitHub credentials from the environment: a GitHub App (GITHUB_APP_ID + private key) wins over
 * GITHUB_TOKEN; null when neither is set. `tokenNow` is the clock App tokens expire by (tests).
 */
export function githubCredentials(env: Env, config: Config, tokenNow?: () => number): GitHubCredentials | null {
  if (env.GITHUB_APP_ID) {
    let key = env.GITHUB_APP_PRIVATE_KEY;
    if (!key && env.GITHUB_APP_PRIVATE_KEY_FILE) {
      try {
        key = readFileSync(env.GITHUB_APP_PRIVATE_KEY_FILE, 'utf8');
      } catch (err) {
        throw new AppError(
          'config_invalid',
          `GITHUB_APP_PRIVATE_KEY_FILE ${env.GITHUB_APP_PRIVATE_KEY_FILE} cannot be read (${errorMessage(err)})`,
        );
      }
    }
    if (!key)
      throw new AppError(
        'config_invalid',
        'GITHUB_APP_ID is set but neither GITHUB_APP_PRIVATE_KEY nor GITHUB_APP_PRIVATE_KEY_FILE: download the private key from the App settings',
      );
    registerSecrets([key]);
    const first = config.pipelines[0];
    return appCredentials({
      appId: env.GITHUB_APP_ID,
      privateKey: key.replace(/\\n/g, '\n'),
      ...(env.GITHUB_APP_INSTALLATION_ID ? { installationId: Number(env.GITHUB_APP_INSTALLATION_ID) } : {}),
      ...(first ? { lookupRepo: pipelineRepos(first).push[0] ?? pipelineRepos(first).read } : {}),
      baseUrl: env.GITHUB_API_URL,
      ...(tokenNow ? { now: tokenNow } : {}),
    });
  }
  return env.GITHUB_TOKEN ? staticToken(env.GITHUB_TOKEN) : null;
}
