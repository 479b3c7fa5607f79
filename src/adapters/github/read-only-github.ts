import { AppError } from '../../errors.js';
import type { GitHubPort } from '../../ports.js';

// --dry-run: reads go through, anything that would change GitHub throws before a request is made.
// The table is exhaustive over the port (a new method does not compile until it is classified),
// so a mutating method can never slip through by being forgotten.

const KIND: Record<keyof GitHubPort, 'read' | 'write'> = {
  getRepo: 'read',
  listReleases: 'read',
  getReleaseByTag: 'read',
  createRelease: 'write',
  getFileText: 'read',
  getBranchSha: 'read',
  deleteBranch: 'write',
  listRefs: 'read',
  createRef: 'write',
  deleteRef: 'write',
  compare: 'read',
  listCommitsBetween: 'read',
  listTags: 'read',
  listOrgMembers: 'read',
  listPulls: 'read',
  getPull: 'read',
  createPull: 'write',
  updatePull: 'write',
  listPullCommits: 'read',
  listPullFiles: 'read',
  mergePull: 'write',
  addLabels: 'write',
  removeLabel: 'write',
  requestReviewers: 'write',
  addAssignees: 'write',
  listComments: 'read',
  createComment: 'write',
  updateComment: 'write',
  getChecks: 'read',
  dispatchWorkflow: 'write',
  listDispatchedRuns: 'read',
  dispatchRepository: 'write',
};

export function isMutatingGitHubMethod(name: keyof GitHubPort): boolean {
  return KIND[name] === 'write';
}

export function readOnlyGitHub(port: GitHubPort): GitHubPort {
  const wrapped = {} as Record<keyof GitHubPort, unknown>;
  for (const name of Object.keys(KIND) as (keyof GitHubPort)[]) {
    wrapped[name] =
      KIND[name] === 'read'
        ? (...args: unknown[]) => (port[name] as (...a: unknown[]) => unknown).apply(port, args)
        : (...args: unknown[]) => {
            const target = typeof args[0] === 'string' ? ` on ${args[0]}` : '';
            return Promise.reject(
              new AppError('forbidden', `dry run: ${name}${target} was not sent`, {
                details: { method: name, dryRun: true },
              }),
            );
          };
  }
  return wrapped as GitHubPort;
}
