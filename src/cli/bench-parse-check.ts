import { spawnSync } from 'node:child_process';
import { dataFormatOf, parses } from '../core/resolve/structured.js';

// Results that no longer parse although both sides did: a merge that breaks the file. JSON, YAML
// and TOML are parsed here; Python by the machine's python3 (`ast.parse`), when there is one.

export interface ParseCheck {
  id: string;
  path: string;
  result: string;
  sides: Array<string | null>;
}

export interface ParseReport {
  checked: boolean;
  note?: string;
  cases: Array<{ id: string; format: string }>;
}

const PY_CHECK = `
import ast, json, sys
out = []
for src in json.load(sys.stdin):
    try:
        ast.parse(src)
        out.append(True)
    except Exception:
        out.append(False)
json.dump(out, sys.stdout)
`;

function pythonParses(sources: string[]): boolean[] | null {
  if (sources.length === 0) return [];
  const r = spawnSync('python3', ['-c', PY_CHECK], { input: JSON.stringify(sources), maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0) return null;
  try {
    return JSON.parse(r.stdout.toString('utf8')) as boolean[];
  } catch {
    return null;
  }
}

export async function notParsing(checks: readonly ParseCheck[]): Promise<ParseReport> {
  const cases: ParseReport['cases'] = [];
  const py = checks.filter((c) => /\.pyi?$/.test(c.path) && c.sides.every((s) => s !== null));
  for (const c of checks) {
    const format = dataFormatOf(c.path);
    if (!format || !c.sides.every((s) => s !== null && parses(s, format))) continue;
    if (!parses(c.result, format)) cases.push({ id: c.id, format });
  }
  const flat = py.flatMap((c) => [c.result, ...(c.sides as string[])]);
  const ok = pythonParses(flat);
  if (ok === null) return { checked: false, note: 'python3 not available to parse Python', cases };
  py.forEach((c, i) => {
    const [result, ...sides] = ok.slice(i * 3, i * 3 + 3);
    if (sides.every(Boolean) && !result) cases.push({ id: c.id, format: 'python' });
  });
  return { checked: true, cases };
}
