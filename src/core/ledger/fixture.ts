import type { HunkFate, LedgerFileInput } from './types.js';

// A generated fork whose sync keeps, absorbs, adapts and drops a known number of its changes:
// shared by the tests (as texts) and the benchmark (written into real repositories).

export interface FixtureFile extends LedgerFileInput {
  expected: HunkFate;
}

const LINES = 30;

function lines(prefix: string): string[] {
  return Array.from({ length: LINES }, (_, j) => `const ${prefix}_${j} = compute(${j}); // ${prefix} line ${j}`);
}

const text = (ls: readonly string[]): string => `${ls.join('\n')}\n`;

function replaced(ls: readonly string[], at: number, line: string): string[] {
  const out = [...ls];
  out[at] = line;
  return out;
}

/** `perFate` files of each fate, one fork hunk per file (line 10 changed; upstream edits line 25). */
export function ledgerFixture(perFate: number): FixtureFile[] {
  const files: FixtureFile[] = [];
  for (let i = 0; i < perFate; i++) {
    for (const fate of ['kept', 'absorbed', 'adapted', 'dropped'] as const) {
      const name = `${fate}${i}`;
      const base = lines(name);
      const forkLine = `const ${name}_10 = forkCompute(10); // fork customisation ${name}`;
      const fork = replaced(base, 10, forkLine);
      const upstreamEdit = `const ${name}_25 = compute(25, upstream); // upstream change ${name}`;
      const upstream = fate === 'absorbed' ? replaced(fork, 25, upstreamEdit) : replaced(base, 25, upstreamEdit);
      const result =
        fate === 'kept' || fate === 'absorbed'
          ? replaced(fork, 25, upstreamEdit)
          : fate === 'adapted'
            ? replaced(replaced(fork, 25, upstreamEdit), 10, `    ${forkLine}`)
            : upstream;
      files.push({
        path: `src/${fate}/${name}.ts`,
        base: text(base),
        fork: text(fork),
        upstream: text(upstream),
        result: text(result),
        expected: fate,
      });
    }
  }
  return files;
}
