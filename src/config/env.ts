import { z } from 'zod';

// Secrets and endpoints come only from the environment, never from the YAML file.

const url = z.url({ protocol: /^https?$/ });

export const envSchema = z.object({
  GITHUB_TOKEN: z
    .string()
    .min(1)
    .optional()
    .describe('GitHub token (PAT or installation token) used for the API and git over HTTPS.'),
  GITHUB_APP_ID: z
    .string()
    .regex(/^\d+$/, { message: 'must be the numeric App ID' })
    .optional()
    .describe(
      'GitHub App id: the bot then uses installation tokens (refreshed before they expire) instead of GITHUB_TOKEN.',
    ),
  GITHUB_APP_PRIVATE_KEY: z
    .string()
    .min(1)
    .optional()
    .describe('The GitHub App private key (PEM; literal \\n accepted), or use GITHUB_APP_PRIVATE_KEY_FILE.'),
  GITHUB_APP_PRIVATE_KEY_FILE: z.string().min(1).optional().describe('Path of the GitHub App private key (PEM).'),
  GITHUB_APP_INSTALLATION_ID: z
    .string()
    .regex(/^\d+$/, { message: 'must be the numeric installation id' })
    .optional()
    .describe(
      'Installation id of the App, for every repository; when not set it is looked up per repository (an App installed on several accounts gets one token per installation).',
    ),
  GITHUB_API_URL: url
    .default('https://api.github.com')
    .describe('GitHub REST API base URL (GitHub Enterprise, proxies, tests).'),
  GITHUB_WEBHOOK_SECRET: z.string().min(1).optional().describe('Secret that signs GitHub webhook deliveries.'),
  SLACK_BOT_TOKEN: z
    .string()
    .regex(/^xoxb-/, { message: 'must start with xoxb-' })
    .optional()
    .describe('Slack bot token.'),
  SLACK_APP_TOKEN: z
    .string()
    .regex(/^xapp-/, { message: 'must start with xapp-' })
    .optional()
    .describe('Slack app-level token with connections:write, for Socket Mode.'),
  SLACK_API_URL: url.optional().describe('Slack Web API base URL, ending in /api/ (tests and proxies).'),
  ANTHROPIC_API_KEY: z.string().min(1).optional().describe('Anthropic API key for the conflict resolver.'),
  ANTHROPIC_BASE_URL: url.optional().describe('Anthropic API base URL (tests and proxies).'),
  UPSTREAM_SYNC_DATA_DIR: z
    .string()
    .min(1)
    .default('./data')
    .describe('Directory for the SQLite database and the git cache.'),
  DATABASE_URL: z
    .string()
    .min(1)
    .optional()
    .describe('PostgreSQL URL for `store: { kind: postgres }` (the default variable its `url` names).'),
  LOG_LEVEL: z
    .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
    .default('info')
    .describe('Log level.'),
});

export type Env = z.output<typeof envSchema>;

/** Names of env variables whose values are secrets: the logger redacts them wherever they appear. */
export const SECRET_ENV = [
  'GITHUB_TOKEN',
  'GITHUB_APP_PRIVATE_KEY',
  'GITHUB_WEBHOOK_SECRET',
  'SLACK_BOT_TOKEN',
  'SLACK_APP_TOKEN',
  'ANTHROPIC_API_KEY',
  'DATABASE_URL',
] as const;

export function loadEnv(source: NodeJS.ProcessEnv = process.env): Env {
  // Empty strings are how unset variables often arrive from compose files and CI: treat them as unset.
  const cleaned = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ''));
  const result = envSchema.safeParse(cleaned);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new Error(`invalid environment:\n${lines.join('\n')}`);
  }
  return result.data;
}
