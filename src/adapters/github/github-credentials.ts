import { createAppAuth } from '@octokit/auth-app';
import { Octokit } from '@octokit/rest';
import { AppError, errorMessage } from '../../errors.js';

// Where GitHub tokens come from: a static GITHUB_TOKEN, or a GitHub App's installation tokens
// (one hour each). App tokens are fetched with the app's JWT and replaced before they expire: a
// token is reused only while more than a margin of its life is left (5 minutes, or a third of its
// life when shorter), so a long sync never sends an expired one, to the API or to git.
// @octokit/auth-app's own cache keeps tokens 59 minutes whatever GitHub says, so it is bypassed
// (`refresh: true`) and the expiry GitHub returned is what counts.
//
// An App may be installed on several accounts (a fork in one organisation, another pipeline's in
// another): without GITHUB_APP_INSTALLATION_ID the installation is looked up per repository
// (GET /repos/{owner}/{repo}/installation, remembered), and each installation has its own token.
// A repository the App is not installed on (a public upstream) is read with the default
// installation's token, the one of the first pipeline's repository.

export interface GitHubCredentials {
  /** For messages: `GITHUB_TOKEN` or `the GitHub App 123 (installation 456)`. */
  readonly describe: string;
  /** A token valid for a while yet, for `repo` (`owner/name`) when given. */
  token(repo?: string): Promise<string>;
}

export function staticToken(token: string): GitHubCredentials {
  return { describe: 'GITHUB_TOKEN', token: async () => token };
}

export interface AppCredentialsOptions {
  appId: string;
  privateKey: string;
  /** One installation for every repository; looked up per repository when not given. */
  installationId?: number;
  /** The repository whose installation is the default (for requests naming no repository). */
  lookupRepo?: string;
  baseUrl: string;
  /** The clock tokens expire by (tests move it). */
  now?: () => number;
}

const MARGIN_MS = 5 * 60_000;

/** `owner/name` of a GitHub API path or clone URL (`…/owner/name(.git)`); undefined when there is none. */
export function repoOfUrl(url: string): string | undefined {
  let path: string;
  try {
    path = new URL(url).pathname;
  } catch {
    return undefined;
  }
  const m = /\/([A-Za-z0-9_.-]+)\/([A-Za-z0-9_.-]+?)(?:\.git)?\/?$/.exec(path);
  return m ? `${m[1]}/${m[2]}` : undefined;
}

/** `owner/name` of a REST path under /repos (`/repos/o/r/pulls` → `o/r`). */
export function repoOfApiPath(path: string): string | undefined {
  const m = /^(?:https?:\/\/[^/]+)?(?:\/api\/v3)?\/repos\/([^/{}?]+)\/([^/{}?]+)/.exec(path);
  return m ? `${decodeURIComponent(m[1]!)}/${decodeURIComponent(m[2]!)}` : undefined;
}

export function appCredentials(options: AppCredentialsOptions): GitHubCredentials {
  const now = options.now ?? Date.now;
  const { request } = new Octokit({ baseUrl: options.baseUrl.replace(/\/+$/, ''), userAgent: 'upstream-sync' });
  const auth = createAppAuth({ appId: options.appId, privateKey: options.privateKey, request });
  /** Repository (lower case) → its installation, or null: not installed there (the default's token is used). */
  const installations = new Map<string, Promise<number | null>>();
  const tokens = new Map<number, { token: string; expiresAt: number; issuedAt: number }>();
  const pending = new Map<number, Promise<string>>();
  const used = new Set<number>();

  const installationOf = async (repo: string): Promise<number | null> => {
    const [owner, name] = repo.split('/') as [string, string];
    const { token: jwt } = await auth({ type: 'app' });
    try {
      const res = await request('GET /repos/{owner}/{repo}/installation', {
        owner,
        repo: name,
        headers: { authorization: `bearer ${jwt}` },
      });
      return Number((res.data as { id: number }).id);
    } catch (err) {
      if ((err as { status?: number }).status === 404) return null;
      throw err;
    }
  };

  const lookup = (repo: string): Promise<number | null> => {
    const key = repo.toLowerCase();
    let found = installations.get(key);
    if (!found) {
      found = installationOf(repo);
      installations.set(key, found);
      // A failed look-up (network, 5xx) is asked again next time; "not installed" is remembered.
      found.catch(() => installations.delete(key));
    }
    return found;
  };

  const defaultInstallation = async (): Promise<number> => {
    if (!options.lookupRepo)
      throw new AppError(
        'config_invalid',
        'GITHUB_APP_INSTALLATION_ID is not set and there is no repository to look it up',
      );
    let id: number | null;
    try {
      id = await lookup(options.lookupRepo);
    } catch (err) {
      throw new AppError(
        'config_invalid',
        `the GitHub App ${options.appId}'s installation on ${options.lookupRepo} could not be looked up (${errorMessage(err)}): set GITHUB_APP_INSTALLATION_ID`,
        { cause: err },
      );
    }
    if (id === null)
      throw new AppError(
        'config_invalid',
        `the GitHub App ${options.appId} is not installed on ${options.lookupRepo}: install it there, or set GITHUB_APP_INSTALLATION_ID`,
      );
    return id;
  };

  const installationFor = async (repo?: string): Promise<number> => {
    if (options.installationId !== undefined) return options.installationId;
    if (repo && /^[^/]+\/[^/]+$/.test(repo)) {
      // A look-up that fails (network, 5xx) falls back to the default for this request and is
      // asked again next time: the request itself then says what is wrong, as with one installation.
      const id = await lookup(repo).catch(() => null);
      if (id !== null) return id;
    }
    return defaultInstallation();
  };

  const fresh = async (id: number): Promise<string> => {
    const result = await auth({ type: 'installation', installationId: id, refresh: true });
    tokens.set(id, { token: result.token, expiresAt: Date.parse(result.expiresAt), issuedAt: now() });
    return result.token;
  };

  return {
    get describe() {
      const ids = options.installationId !== undefined ? [options.installationId] : [...used].sort((a, b) => a - b);
      return `the GitHub App ${options.appId}${ids.length ? ` (installation ${ids.join(', ')})` : ''}`;
    },
    token: async (repo) => {
      const id = await installationFor(repo);
      used.add(id);
      const current = tokens.get(id);
      if (current) {
        const margin = Math.min(MARGIN_MS, (current.expiresAt - current.issuedAt) / 3);
        if (current.expiresAt - now() > margin) return current.token;
      }
      let waiting = pending.get(id);
      if (!waiting) {
        waiting = fresh(id).finally(() => pending.delete(id));
        pending.set(id, waiting);
      }
      return waiting;
    },
  };
}
