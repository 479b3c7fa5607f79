// Secrets must never reach logs, Slack, PR bodies or the database. Two nets: the exact values of
// the secrets we were given (registered at start), and token shapes we know, in case a secret
// arrives from somewhere we did not expect (a URL with credentials, an echoed header).

const REDACTED = '[REDACTED]';

const TOKEN_SHAPES: RegExp[] = [
  /\bgh[pousr]_[A-Za-z0-9]{20,}\b/g, // GitHub tokens
  /\bgithub_pat_[A-Za-z0-9_]{20,}\b/g,
  /\bxox[abpre]-[A-Za-z0-9-]{8,}\b/g, // Slack tokens
  /\bxapp-[A-Za-z0-9-]{8,}\b/g,
  /\bsk-ant-[A-Za-z0-9_-]{8,}\b/g, // Anthropic keys
  /(?<=:\/\/)[^/\s:@]*:[^/\s@]+(?=@)/g, // user:password@ in URLs
  /(?<=\b[Bb]earer\s)[A-Za-z0-9._~+/=-]{8,}/g,
  /(?<=\b[Bb]asic\s)[A-Za-z0-9+/=]{8,}/g,
];

const known = new Set<string>();

/** Registers secret values (tokens, keys) so that every later scrub() removes them. */
export function registerSecrets(values: Iterable<string | undefined>): void {
  for (const v of values) {
    // Very short values would blank out ordinary words; real tokens are long.
    if (v && v.length >= 6) {
      known.add(v);
      // The same secret inside Basic auth headers and URL-encoded forms.
      known.add(Buffer.from(v).toString('base64'));
      known.add(encodeURIComponent(v));
      // As it appears inside a JSON string (a log line, a stored row) when it has quotes or backslashes.
      known.add(JSON.stringify(v).slice(1, -1));
    }
  }
}

export function clearRegisteredSecrets(): void {
  known.clear();
}

export function scrub(text: string): string {
  let out = text;
  for (const secret of known) {
    if (out.includes(secret)) out = out.split(secret).join(REDACTED);
  }
  for (const shape of TOKEN_SHAPES) out = out.replace(shape, REDACTED);
  return out;
}

// Keys that name a credential, at any depth: `token`, `githubToken`, `GITHUB_WEBHOOK_SECRET`,
// `authorization`, `apiKey`, `private_key`… but not `inputTokens` or `tokenCount`.
const SECRET_KEY = /(token|secret|password|passwd|authorization|api[-_]?key|private[-_]?key|cookie)$/i;

export function isSecretKey(key: string): boolean {
  return SECRET_KEY.test(key);
}

/** A value stored under a secret-looking key: hidden when it is a scalar, searched when it is not. */
export function censorUnderKey(key: string, value: unknown): unknown {
  return isSecretKey(key) && value !== null && value !== undefined && typeof value !== 'object' ? REDACTED : value;
}

/** Deep copy with every string scrubbed; for data about to be stored or posted. */
export function scrubDeep<T>(value: T): T {
  if (typeof value === 'string') return scrub(value) as T;
  if (Array.isArray(value)) return value.map(scrubDeep) as T;
  if (value && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, scrubDeep(censorUnderKey(k, v))])) as T;
  }
  return value;
}
