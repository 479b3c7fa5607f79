import { refNameProblem } from '../refs.js';
import { renderTemplate, templateToRegExp } from '../template.js';

// The one reading of the sync-branch template (`syncBranch`, e.g. "upstream-sync/{tag}"): the
// sync job names branches with it; the sync PR finder, the resolver's gate, the resolver, the
// recheck job and the webhooks recognise them with it.

/** What a placeholder may hold: characters a git ref may contain; a version is a plain semver-ish word. */
const CAPTURES = { tag: '[^\\s~^:?*\\[\\\\]+?', version: '[0-9A-Za-z.+-]+?' };

export function syncBranchName(template: string, tag: string, version: string): string {
  const name = renderTemplate(template, { tag, version });
  const problem = refNameProblem(name);
  if (problem) throw new Error(`sync branch name ${JSON.stringify(name)} ${problem}`);
  return name;
}

/** The tag a sync branch was made for, or null when the branch is not a sync branch. */
export function tagOfSyncBranch(template: string, branch: string): string | null {
  return templateToRegExp(template, CAPTURES).exec(branch)?.groups?.tag ?? null;
}
