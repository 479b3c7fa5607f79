import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { buildProgram } from '../src/cli/program.js';
import { configReference } from '../src/config/reference.js';

// The README is part of the product: a newcomer follows it literally. These checks keep the
// parts that are easy to forget in step with the code.

const readme = await readFile('README.md', 'utf8');

describe('README', () => {
  it('carries the configuration reference generated from the schema', () => {
    const block = /<!-- config-reference:start -->\n([\s\S]*?)\n<!-- config-reference:end -->/.exec(readme)?.[1];
    // On failure: `npx upstream-sync config reference` prints the table to paste between the markers.
    expect(block).toBe(configReference());
  });

  it('names every CLI command', () => {
    const program = buildProgram({ stdout: () => {}, stderr: () => {} }, () => {});
    for (const command of program.commands) {
      expect(readme, `README does not mention "upstream-sync ${command.name()}"`).toContain(
        `upstream-sync ${command.name()}`,
      );
    }
  });

  it('gives the test command CI runs', async () => {
    const ci = await readFile('.ci/run', 'utf8');
    expect(readme).toContain('npm ci');
    expect(readme).toContain('npm test');
    expect(ci).toMatch(/^npm test$/m);
  });
});
