// Ref-name rules from git-check-ref-format(1), applied before any name reaches git. The git
// adapter runs `git check-ref-format` as well; this copy lets config validation and planning,
// which are pure, reject a hostile name without spawning anything.

// eslint-disable-next-line no-control-regex -- control characters are exactly what git forbids
const FORBIDDEN_CHARS = /[\x00-\x20\x7f~^:?*[\\]/;

export function refNameProblem(name: string): string | null {
  if (name.length === 0) return 'is empty';
  if (name.length > 255) return 'is longer than 255 characters';
  if (name.startsWith('-')) return 'starts with "-" (it would be read as an option)';
  if (FORBIDDEN_CHARS.test(name)) return 'contains a space, control character or one of ~^:?*[\\';
  if (name.includes('..')) return 'contains ".."';
  if (name.includes('@{')) return 'contains "@{"';
  if (name === '@') return 'is "@"';
  if (name.startsWith('/') || name.endsWith('/')) return 'starts or ends with "/"';
  if (name.includes('//')) return 'contains "//"';
  if (name.endsWith('.')) return 'ends with "."';
  for (const part of name.split('/')) {
    if (part.startsWith('.')) return 'has a component starting with "."';
    if (part.endsWith('.lock')) return 'has a component ending with ".lock"';
  }
  // Shell metacharacters are legal in refs but never in names we create; refusing them keeps a
  // hostile upstream tag from ever reaching a log line that someone pastes into a terminal.
  if (/[;&|`$<>'"(){}!#]/.test(name)) return 'contains a shell metacharacter';
  return null;
}

export function isSafeRefName(name: string): boolean {
  return refNameProblem(name) === null;
}

const SLUG = /^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/;

export function isRepoSlug(value: string): boolean {
  return SLUG.test(value) && !value.split('/').some((p) => p === '.' || p === '..');
}

export function splitRepo(slug: string): { owner: string; repo: string } {
  const [owner, repo] = slug.split('/');
  if (!owner || !repo || !isRepoSlug(slug)) throw new Error(`not an owner/name repository: ${slug}`);
  return { owner, repo };
}
