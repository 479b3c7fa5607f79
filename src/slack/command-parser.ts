import { refNameProblem } from '../core/refs.js';
import type { Action } from '../config/schema.js';
import { BUMPS, type Bump } from './action-ids.js';

// `/upstream-sync <text>`: the text is untrusted input. It is parsed into a closed set of commands
// whose arguments are validated here (tags with git's ref rules, PR numbers as integers), so
// nothing downstream ever sees a raw argument. Every refusal names the problem.

export type SlashCommand =
  | { name: 'status'; pipeline: string | null }
  | { name: 'check'; pipeline: string | null }
  | { name: 'sync'; pipeline: string | null; tag: string | null; silent: boolean }
  | { name: 'resolve'; pr: number; repo: string | null; pipeline: string | null }
  | { name: 'release'; bump: Bump; pipeline: string | null }
  | { name: 'skip'; tag: string; pipeline: string | null }
  | { name: 'unskip'; tag: string; pipeline: string | null }
  | { name: 'history'; pipeline: string | null }
  | { name: 'help' };

export type CommandName = SlashCommand['name'];

export type ParseResult =
  { ok: true; command: SlashCommand } | { ok: false; problem: string; name: CommandName | null };

export const COMMANDS: Record<CommandName, { usage: string; summary: string; permission: Action | 'read' }> = {
  status: {
    usage: 'status [pipeline]',
    summary: 'Where each pipeline stands: versions, open sync PR, last runs, next check.',
    permission: 'read',
  },
  check: { usage: 'check [pipeline]', summary: 'Look for a new upstream stable release now.', permission: 'sync' },
  sync: {
    usage: 'sync [pipeline] [tag] [--silent]',
    summary:
      'Sync the newest upstream stable release, or the one named: a stable release newer than production and not skipped (one sync per pipeline at a time).',
    permission: 'sync',
  },
  resolve: {
    usage: 'resolve <pr> [pipeline]',
    summary: 'Run the conflict resolver on a sync PR.',
    permission: 'resolve',
  },
  release: {
    usage: 'release <patch|minor|major> [pipeline]',
    summary: 'Preview the next fork release, then cut it.',
    permission: 'release',
  },
  skip: {
    usage: 'skip <tag> [pipeline]',
    summary: 'Never sync this upstream release (closes its sync PR).',
    permission: 'skip',
  },
  unskip: { usage: 'unskip <tag> [pipeline]', summary: 'Undo `skip`.', permission: 'skip' },
  history: { usage: 'history [pipeline]', summary: 'The last runs and their outcomes.', permission: 'read' },
  help: { usage: 'help', summary: 'This list.', permission: 'read' },
};

const NAMES = Object.keys(COMMANDS) as CommandName[];

/** Slack sends &, < and > as entities, and may wrap pasted links as <url> or <url|label>. */
function tokens(text: string): string[] {
  return text
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
    .trim()
    .split(/\s+/)
    .filter(Boolean)
    .map((t) => {
      const m = /^<([^|>]+)(?:\|[^>]*)?>$/.exec(t);
      return m ? (m[1] as string) : t;
    });
}

function show(value: string): string {
  return JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}…` : value);
}

class Problem extends Error {}

export function parseCommand(text: string, pipelineIds: readonly string[]): ParseResult {
  const all = tokens(text);
  const first = all[0]?.toLowerCase();
  if (first === undefined) return { ok: true, command: { name: 'help' } };
  if (!NAMES.includes(first as CommandName))
    return { ok: false, problem: `unknown command ${show(all[0] as string)}`, name: null };
  const name = first as CommandName;
  try {
    return { ok: true, command: parseArgs(name, all.slice(1), pipelineIds) };
  } catch (err) {
    if (err instanceof Problem) return { ok: false, problem: err.message, name };
    throw err;
  }
}

const MAX_ARGS: Record<CommandName, number> = {
  status: 1,
  check: 1,
  history: 1,
  help: 0,
  sync: 2,
  resolve: 2,
  release: 2,
  skip: 2,
  unskip: 2,
};

function parseArgs(name: CommandName, rest: string[], pipelineIds: readonly string[]): SlashCommand {
  const flags = rest.filter((t) => t.startsWith('--'));
  const args = rest.filter((t) => !t.startsWith('--'));
  const badFlag = flags.find((f) => !(name === 'sync' && f === '--silent'));
  if (badFlag) throw new Problem(`unknown option ${show(badFlag)} for \`${name}\``);
  if (args.length > MAX_ARGS[name])
    throw new Problem(`too many arguments for \`${name}\`: ${show(args.slice(MAX_ARGS[name]).join(' '))}`);

  const pipeline = (value: string | undefined): string | null => {
    if (value === undefined) return null;
    if (!pipelineIds.includes(value))
      throw new Problem(`unknown pipeline ${show(value)} (known: ${pipelineIds.join(', ') || 'none'})`);
    return value;
  };
  const tag = (value: string | undefined, what: string): string => {
    if (value === undefined) throw new Problem(`\`${name}\` needs ${what}`);
    const problem = refNameProblem(value);
    if (problem) throw new Problem(`not a valid tag ${show(value)}: it ${problem}`);
    return value;
  };

  switch (name) {
    case 'help':
      return { name };
    case 'status':
    case 'check':
    case 'history':
      return { name, pipeline: pipeline(args[0]) };
    case 'sync': {
      // One argument is a pipeline when it names one, else a tag.
      const [a, b] = args;
      const isPipeline = a !== undefined && (b !== undefined || pipelineIds.includes(a));
      const rawTag = isPipeline ? b : a;
      return {
        name,
        pipeline: pipeline(isPipeline ? a : undefined),
        tag: rawTag === undefined ? null : tag(rawTag, 'a tag'),
        silent: flags.includes('--silent'),
      };
    }
    case 'resolve': {
      if (args[0] === undefined) throw new Problem('`resolve` needs a PR number, e.g. `resolve 123`');
      const ref = parsePrRef(args[0]);
      if (!ref) throw new Problem(`not a PR number or URL: ${show(args[0])}`);
      return { name, pr: ref.pr, repo: ref.repo, pipeline: pipeline(args[1]) };
    }
    case 'release': {
      const bump = args[0]?.toLowerCase();
      if (bump === undefined) throw new Problem('`release` needs patch, minor or major');
      if (!BUMPS.includes(bump as Bump)) throw new Problem(`${show(args[0] as string)} is not patch, minor or major`);
      return { name, bump: bump as Bump, pipeline: pipeline(args[1]) };
    }
    case 'skip':
    case 'unskip':
      return { name, tag: tag(args[0], `a tag, e.g. \`${name} v1.2.3-stable\``), pipeline: pipeline(args[1]) };
  }
}

/** `123`, `#123` or a pull request URL (which also names the repository). */
export function parsePrRef(value: string | undefined): { pr: number; repo: string | null } | null {
  if (value === undefined) return null;
  const plain = /^#?(\d{1,9})$/.exec(value);
  if (plain) return { pr: Number(plain[1]), repo: null };
  const url = /^https?:\/\/[^/\s]+\/([A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+)\/pull\/(\d{1,9})(?:[/?#].*)?$/.exec(value);
  if (url) return { pr: Number(url[2]), repo: url[1] as string };
  return null;
}
