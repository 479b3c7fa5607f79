// Token auth for git over HTTPS without the token ever being written down: it travels as an
// http.<origin>/.extraHeader in GIT_CONFIG_* variables of the one git process that needs it, so
// it is not in the clone URL, the cache's config, the reflog, argv (visible in `ps`) or our logs.
// Scoping the header to the URL's origin keeps it from following a redirect to another host.

/** A token, or a function giving one for the remote `url` (a GitHub App's installation token for that repository). */
export type TokenSource = string | ((url: string) => Promise<string | undefined>) | undefined;

export async function resolveToken(source: TokenSource, url: string): Promise<string | undefined> {
  if (typeof source === 'function') return source(url);
  return source;
}

/** Extra environment for one git command talking to `url`; empty for local paths. */
export function authEnv(url: string, token: string | undefined): Record<string, string> {
  // An empty helper list stops any credential helper from the environment answering instead.
  const entries: Array<[string, string]> = [['credential.helper', '']];
  if (token && /^https?:\/\//.test(url)) {
    const origin = new URL(url).origin;
    const basic = Buffer.from(`x-access-token:${token}`).toString('base64');
    entries.push([`http.${origin}/.extraHeader`, `Authorization: Basic ${basic}`]);
  }
  const env: Record<string, string> = { GIT_CONFIG_COUNT: String(entries.length) };
  entries.forEach(([key, value], i) => {
    env[`GIT_CONFIG_KEY_${i}`] = key;
    env[`GIT_CONFIG_VALUE_${i}`] = value;
  });
  return env;
}
