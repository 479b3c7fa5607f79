import { spawn } from 'node:child_process';
import { once } from 'node:events';

// Generates large git histories quickly with `git fast-import` straight into a bare repository:
// a tree of `files` source files (about 1.5 KB each, in two levels of directories, like a
// project of litellm's size) and commits that each change three of them.

export interface HistoryOptions {
  /** Bare repository to write into. */
  dir: string;
  branch: string;
  commits: number;
  /** Parent of the first commit (append); an initial commit with every file when absent. */
  from?: string;
  files?: number;
  /** Called for the commit at index i (0-based) to add extra files, e.g. a version file. */
  extra?: (i: number) => Record<string, string> | null;
  /** Offset for commit numbering, so appended histories get fresh content. */
  start?: number;
}

const IDENTITY = 'Upstream Dev <dev@upstream.test>';
const PRIMES = [7919, 104729, 1299709];

/** Where file number n lives in the generated tree. */
export function historyPath(n: number): string {
  return `pkg${n % 60}/sub${n % 7}/module_${n}.py`;
}

/** The files commit number n changes (after the initial one), so a fork can customise those. */
export function filesChangedBy(n: number, files = 8000): number[] {
  return PRIMES.map((prime) => (n * prime) % files);
}

/** A source file of about 1.5 KB whose VALUE line changes with each revision. */
function source(file: number, revision: number): string {
  const body = Array.from(
    { length: 30 },
    (_, k) => `def handler_${file}_${k}(request):\n    return process(request, ${k})\n`,
  ).join('');
  return `# module ${file}\nVALUE = ${revision}\n\n${body}`;
}

function blob(text: string): string {
  return `data ${Buffer.byteLength(text)}\n${text}\n`;
}

export async function fastHistory(options: HistoryOptions): Promise<void> {
  const files = options.files ?? 8000;
  const start = options.start ?? 0;
  const child = spawn('git', ['fast-import', '--quiet', '--done'], {
    cwd: options.dir,
    stdio: ['pipe', 'ignore', 'pipe'],
    env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null' },
  });
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const write = async (text: string) => {
    if (!child.stdin.write(text)) await once(child.stdin, 'drain');
  };
  const time = 1_700_000_000;
  for (let i = 0; i < options.commits; i++) {
    const n = start + i;
    const message = `change ${n}`;
    let out = `commit refs/heads/${options.branch}\ncommitter ${IDENTITY} ${time + n} +0000\n${blob(message)}`;
    if (i === 0 && options.from) out += `from ${options.from}\n`;
    if (i === 0 && !options.from) {
      for (let f = 0; f < files; f++) out += `M 100644 inline ${historyPath(f)}\n${blob(source(f, 0))}`;
    } else {
      // Three files per commit, spread over the tree, as in an active project.
      for (const f of filesChangedBy(n, files)) {
        out += `M 100644 inline ${historyPath(f)}\n${blob(source(f, n))}`;
      }
    }
    for (const [p, content] of Object.entries(options.extra?.(i) ?? {}))
      out += `M 100644 inline ${p}\n${blob(content)}`;
    await write(`${out}\n`);
  }
  await write('done\n');
  child.stdin.end();
  const [code] = (await once(child, 'close')) as [number];
  if (code !== 0) throw new Error(`git fast-import failed: ${stderr}`);
}
