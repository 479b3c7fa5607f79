import { webApi } from '@slack/bolt';
import { errorMessage } from '../../errors.js';

// Why the bot could not reach or log in to Slack, as one line naming the token at fault and what
// to do. A refused token is a configuration problem (exit 2: restarting will not help); Slack
// being unreachable or failing is an environment problem (exit 1: a restart may).

export type SlackToken = 'SLACK_BOT_TOKEN' | 'SLACK_APP_TOKEN';

const REFUSED = new Set([
  'invalid_auth',
  'not_authed',
  'token_revoked',
  'token_expired',
  'account_inactive',
  'not_allowed_token_type',
  'missing_scope',
]);

export const SLACK_TOKEN_FIX: Record<SlackToken, string> = {
  SLACK_BOT_TOKEN: "set the app's Bot User OAuth Token (xoxb-…) from OAuth & Permissions",
  SLACK_APP_TOKEN: 'set an app-level token (xapp-…) with the connections:write scope from Basic Information',
};

export class SlackStartError extends Error {
  readonly token: SlackToken;
  /** 2: the setting is wrong; 1: Slack could not be reached. */
  readonly exitCode: 1 | 2;

  constructor(token: SlackToken, cause: unknown) {
    const e = cause as {
      code?: string;
      data?: { error?: string };
      statusCode?: number;
      original?: { code?: string; cause?: { code?: string } };
    };
    let message: string;
    let exitCode: 1 | 2 = 1;
    if (e.code === webApi.ErrorCode.PlatformError && e.data?.error && REFUSED.has(e.data.error)) {
      message = `${token} was refused by Slack (${e.data.error}): ${SLACK_TOKEN_FIX[token]}`;
      exitCode = 2;
    } else if (e.code === webApi.ErrorCode.PlatformError) {
      message = `Slack answered ${e.data?.error ?? 'an error'} while checking ${token}: ${SLACK_TOKEN_FIX[token]}`;
      exitCode = 2;
    } else if (e.code === webApi.ErrorCode.RequestError) {
      const why = e.original?.code ?? e.original?.cause?.code ?? errorMessage(e.original ?? cause);
      message = `Slack is unreachable while checking ${token} (${why}): check SLACK_API_URL, DNS and the proxy`;
    } else if (e.code === webApi.ErrorCode.HTTPError) {
      message = `Slack answered HTTP ${e.statusCode ?? '?'} while checking ${token}: try again later`;
    } else {
      message = `Slack failed while checking ${token}: ${errorMessage(cause)}`;
    }
    super(message, { cause });
    this.name = 'SlackStartError';
    this.token = token;
    this.exitCode = exitCode;
  }
}
