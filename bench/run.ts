import { spawn } from 'node:child_process';
import { readdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

// `npm run bench -- <name> [args…]`: runs bench/<name>.ts in its own process (with the tsx
// loader, as the benches run standalone too) and passes its exit code through.
// `npm run bench` alone runs every bench in turn with its defaults.

const dir = fileURLToPath(new URL('.', import.meta.url));
const [name, ...args] = process.argv.slice(2);
const available = (await readdir(dir))
  .filter((f) => f.endsWith('.ts') && f !== 'run.ts')
  .map((f) => f.slice(0, -3))
  .sort();

function runBench(bench: string, benchArgs: string[]): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', `${dir}${bench}.ts`, ...benchArgs], { stdio: 'inherit' });
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

if (name === undefined) {
  let worst = 0;
  for (const bench of available) worst = Math.max(worst, await runBench(bench, []));
  process.exit(worst);
}
if (!available.includes(name)) {
  process.stderr.write(`usage: npm run bench [-- <${available.join('|')}> [args…]]\n`);
  process.exit(2);
}
process.exit(await runBench(name, args));
