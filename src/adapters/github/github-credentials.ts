import { createAppAuth } from '@octokit/auth-app';
import { Octokit } from '@octokit/rest';
import { AppError, errorMessage } from '../../errors.js';

// Where GitHub tokens come from: a static GITHUB_TOKEN, or a GitHub App's installation tokens
// (one hour each). App tokens are fetched with the app's JWT and replaced before they expire: a
// token is reused only while more than a margin of its life is left (5 minutes, or a third of its
// life when shorter), so a long sync never sends an expired one, to the API or to git.
// @octokit/auth-app's own cache keeps tokens 59 minutes whatever GitHub says, so it is bypassed
// (`refresh: true`) and the expiry GitHub returned is what counts.

export interface GitHubCredentials {
  /** For messages: `GITHUB_TOKEN` or `the GitHub App 123 (installation 456)`. */
  readonly describe: string;
  /** A token valid for a while yet. */
  token(): Promise<string>;
}

export function staticToken(token: string): GitHubCredentials {
  return { describe: 'GITHUB_TOKEN', token: async () => token };
}

export interface AppCredentialsOptions {
  appId: string;
  privateKey: string;
  /** Looked up from `lookupRepo` (GET /repos/{repo}/installation) when not given. */
  installationId?: number;
  lookupRepo?: string;
  baseUrl: string;
  /** The clock tokens expire by (tests move it). */
  now?: () => number;
}

const MARGIN_MS = 5 * 60_000;

export function appCredentials(options: AppCredentialsOptions): GitHubCredentials {
  const now = options.now ?? Date.now;
  const { request } = new Octokit({ baseUrl: options.baseUrl.replace(/\/+$/, ''), userAgent: 'upstream-sync' });
  const auth = createAppAuth({ appId: options.appId, privateKey: options.privateKey, request });
  let installationId = options.installationId ?? null;
  let current: { token: string; expiresAt: number; issuedAt: number } | null = null;
  let pending: Promise<string> | null = null;

  const lookup = async (): Promise<number> => {
    if (installationId !== null) return installationId;
    if (!options.lookupRepo)
      throw new AppError(
        'config_invalid',
        'GITHUB_APP_INSTALLATION_ID is not set and there is no repository to look it up',
      );
    const { token: jwt } = await auth({ type: 'app' });
    try {
      const res = await request('GET /repos/{owner}/{repo}/installation', {
        owner: options.lookupRepo.split('/')[0]!,
        repo: options.lookupRepo.split('/')[1]!,
        headers: { authorization: `bearer ${jwt}` },
      });
      installationId = Number((res.data as { id: number }).id);
      return installationId;
    } catch (err) {
      throw new AppError(
        'config_invalid',
        `the GitHub App ${options.appId} is not installed on ${options.lookupRepo} (${errorMessage(err)}): install it there, or set GITHUB_APP_INSTALLATION_ID`,
        { cause: err },
      );
    }
  };

  const fresh = async (): Promise<string> => {
    const id = await lookup();
    const result = await auth({ type: 'installation', installationId: id, refresh: true });
    current = { token: result.token, expiresAt: Date.parse(result.expiresAt), issuedAt: now() };
    return result.token;
  };

  return {
    get describe() {
      return `the GitHub App ${options.appId}${installationId !== null ? ` (installation ${installationId})` : ''}`;
    },
    token: async () => {
      if (current) {
        const margin = Math.min(MARGIN_MS, (current.expiresAt - current.issuedAt) / 3);
        if (current.expiresAt - now() > margin) return current.token;
      }
      pending ??= fresh().finally(() => (pending = null));
      return pending;
    },
  };
}
