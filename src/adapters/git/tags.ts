import type { TagInfo } from '../../ports.js';
import type { GitExec } from './git-exec.js';
import { assertFullRef, assertRev } from './git-names.js';

const FIELDS = [
  '%(refname)',
  '%(objectname)',
  '%(objecttype)',
  '%(*objectname)',
  '%(taggername)',
  '%(taggeremail:trim)',
  '%(taggerdate:iso-strict)',
  '%(contents)',
];

// One for-each-ref call for every tag with its annotation: release numbering reads dozens of tags
// and must not start a process per tag.
export async function listTagDetails(
  exec: GitExec,
  cacheDir: string,
  options: { mergedInto?: string; prefix?: string },
): Promise<TagInfo[]> {
  const prefix = options.prefix ?? 'refs/tags/';
  assertFullRef(prefix.replace(/\/$/, ''));
  const args = ['for-each-ref', `--format=${FIELDS.join('%1f')}%1e`];
  if (options.mergedInto) args.push(`--merged=${assertRev(options.mergedInto)}`);
  args.push(prefix.endsWith('/') ? prefix : `${prefix}/`);
  const out = (await exec.run(args, { cwd: cacheDir })).stdout.toString('utf8');
  const tags: TagInfo[] = [];
  for (const record of out.split('\x1e')) {
    const trimmed = record.replace(/^\n/, '');
    if (!trimmed) continue;
    const [refname, object, type, peeled, taggerName, taggerEmail, taggerDate, contents] = trimmed.split('\x1f');
    const annotated = type === 'tag';
    tags.push({
      name: (refname ?? '').slice(prefix.endsWith('/') ? prefix.length : prefix.length + 1),
      sha: object ?? '',
      commit: annotated ? (peeled ?? '') : (object ?? ''),
      annotated,
      tagger:
        annotated && taggerName
          ? { name: taggerName, email: taggerEmail ?? '', ...(taggerDate ? { date: taggerDate } : {}) }
          : null,
      message: annotated ? (contents ?? '').replace(/\n+$/, '') : '',
    });
  }
  return tags;
}
