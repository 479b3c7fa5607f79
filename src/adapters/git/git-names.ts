import { AppError } from '../../errors.js';
import { isRepoSlug, refNameProblem } from '../../core/refs.js';

// Everything that reaches git as an argument passes through here first. The checks are strict on
// purpose: revisions are full object ids or full ref names we chose, never arbitrary rev syntax.

const OBJECT_ID = /^[0-9a-f]{40}(?:[0-9a-f]{24})?$/;

export function isObjectId(value: string): boolean {
  return OBJECT_ID.test(value);
}

/** A full object id, or a ref name (branch, `refs/...`) that passes the check-ref-format rules. */
export function assertRev(rev: string): string {
  if (isObjectId(rev)) return rev;
  const problem = refNameProblem(rev);
  if (problem)
    throw new AppError('invalid_ref', `refusing revision ${JSON.stringify(rev)}: ${problem}`, { details: { rev } });
  return rev;
}

/** A short branch or tag name such as `carto/main` or `v1.81.9-stable`. */
export function assertRefName(name: string, what = 'ref'): string {
  const problem = refNameProblem(name);
  if (problem)
    throw new AppError('invalid_ref', `refusing ${what} name ${JSON.stringify(name)}: ${problem}`, {
      details: { name },
    });
  return name;
}

export function assertFullRef(ref: string): string {
  assertRefName(ref);
  if (!ref.startsWith('refs/'))
    throw new AppError('invalid_ref', `expected a full ref name under refs/: ${JSON.stringify(ref)}`);
  return ref;
}

/** `[+]refs/src:refs/dst` with both sides full, safe ref names (a single trailing `*` glob allowed). */
export function assertRefspec(spec: string): string {
  const body = spec.startsWith('+') ? spec.slice(1) : spec;
  const parts = body.split(':');
  if (parts.length !== 2) throw new AppError('invalid_ref', `refspec must be <src>:<dst>: ${JSON.stringify(spec)}`);
  const globs = parts.filter((p) => p.endsWith('/*')).length;
  if (globs !== 0 && globs !== 2)
    throw new AppError('invalid_ref', `refspec globs must appear on both sides: ${JSON.stringify(spec)}`);
  for (const side of parts) assertFullRef(globs ? side.slice(0, -2) : side);
  return spec;
}

/** Repository paths (from conflicts, file writes): relative, no `..`, never inside `.git`. */
export function assertRepoPath(path: string): string {
  const bad =
    path.length === 0 ||
    path.startsWith('/') ||
    path.includes('\0') ||
    path.split('/').some((part) => part === '' || part === '.' || part === '..' || part.toLowerCase() === '.git');
  if (bad) throw new AppError('validation', `refusing repository path ${JSON.stringify(path)}`, { details: { path } });
  return path;
}

/** Only transports we mean to use; `ext::` and friends would run commands. */
export function assertCloneUrl(url: string): string {
  const ok = /^https?:\/\/[^\s]+$/.test(url) || /^file:\/\/\/[^\s]+$/.test(url) || /^\/[^\s]*$/.test(url);
  if (!ok)
    throw new AppError('validation', 'refusing clone URL: only https://, http:// (tests) and local paths are allowed', {
      details: { url: redactUrl(url) },
    });
  return url;
}

export function redactUrl(url: string): string {
  return url.replace(/(?<=:\/\/)[^/@]*@/, '');
}

/** Directory of a repository's cache below `<dataDir>/git`, from its "owner/name" slug. */
export function cacheDirName(repo: string): string {
  if (!isRepoSlug(repo)) throw new AppError('validation', `not an owner/name repository: ${JSON.stringify(repo)}`);
  return `${repo}.git`;
}
